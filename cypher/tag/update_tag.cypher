// Replace a tag definition's fields (the caller validated the merged definition).
// params: key, props, at, by
// returns: tag
/* :params {key: "vip", props: {key: "vip", name: "VIP"}, at: datetime(), by: "alice"} */
MATCH (t:Tag {key: $key})
SET t += $props, t.updated_at = $at, t.updated_by = $by
RETURN t {.*} AS tag
