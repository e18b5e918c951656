// One snapshot with its member ids (null when the snapshot stored only the count).
// params: id
// returns: snapshot, members
/* :params {id: "snap-1"} */
MATCH (s:SegmentSnapshot {id: $id})
RETURN s {.id, .segment_key, .at, .count, has_members: s.members IS NOT NULL} AS snapshot, s.members AS members
