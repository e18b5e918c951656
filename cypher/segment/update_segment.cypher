// Change a segment definition's fields; returns nothing when the key is unknown.
// params: key, props, now
// returns: segment
/* :params {key: "big_spenders", props: {name: "Big spenders"}, now: datetime()} */
MATCH (s:Segment {key: $key})
SET s += $props, s.updated_at = $now
RETURN s {.*} AS segment
