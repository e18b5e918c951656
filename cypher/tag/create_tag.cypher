// Create a tag definition node (the caller checked that the key is free and the definition valid).
// params: props, at, by
// returns: tag
/* :params {props: {key: "vip", name: "VIP", kind: "MANUAL", status: "ACTIVE"}, at: datetime(), by: "alice"} */
CREATE (t:Tag)
SET t = $props, t.created_at = $at, t.updated_at = $at, t.updated_by = $by
RETURN t {.*} AS tag
