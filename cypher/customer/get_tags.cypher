// Tags with these keys, for the tag DataLoader.
// params: keys
// returns: key, tag
/* :params {keys: ["vip", "churn-risk"]} */
UNWIND $keys AS key
MATCH (t:Tag {key: key})
RETURN key, t {.*} AS tag
