// Create a segment definition unless one with this key exists; returns nothing when it does.
// params: props, now
// returns: segment
/* :params {props: {key: "big_spenders", name: "Big spenders", kind: "RULE", rule: "{}"}, now: datetime()} */
OPTIONAL MATCH (old:Segment {key: $props.key})
WITH old WHERE old IS NULL
CREATE (s:Segment)
SET s = $props, s.created_at = $now, s.updated_at = $now
RETURN s {.*} AS segment
