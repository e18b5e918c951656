// One tag definition by key.
// params: key
// returns: tag
/* :params {key: "vip"} */
MATCH (t:Tag {key: $key})
RETURN t {.*} AS tag
