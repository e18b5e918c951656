// A segment's snapshots, newest first, without their member lists.
// params: key, limit
// returns: snapshot
/* :params {key: "big_spenders", limit: 50} */
MATCH (s:SegmentSnapshot {segment_key: $key})
RETURN s {.id, .segment_key, .at, .count, has_members: s.members IS NOT NULL} AS snapshot
ORDER BY s.at DESC, s.id DESC
LIMIT $limit
