// Delete a segment definition and its snapshots; returns how many definitions were deleted.
// params: key
// returns: deleted
/* :params {key: "big_spenders"} */
OPTIONAL MATCH (snap:SegmentSnapshot {segment_key: $key})
DETACH DELETE snap
WITH count(*) AS ignored
OPTIONAL MATCH (s:Segment {key: $key})
DETACH DELETE s
RETURN count(s) AS deleted
