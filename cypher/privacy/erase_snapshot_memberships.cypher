// Erasure step: removes one customer's id from stored segment snapshot member lists (counts stay).
// params: id
// returns: updated
/* :params {id: "c-001"} */
OPTIONAL MATCH (s:SegmentSnapshot)
WHERE s.members IS NOT NULL AND $id IN s.members
SET s.members = [m IN s.members WHERE m <> $id]
RETURN count(s) AS updated
