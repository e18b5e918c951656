// Record a segment's size (and optionally its member ids) at a time.
// params: id, key, at, count, members
// returns: snapshot
/* :params {id: "snap-1", key: "big_spenders", at: datetime(), count: 2, members: ["c-001", "c-002"]} */
CREATE (s:SegmentSnapshot {id: $id, segment_key: $key, at: $at, count: $count, members: $members})
RETURN s {.*} AS snapshot
