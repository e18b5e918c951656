// Erasure step: deletes duplicate-merge records that name one customer (kept or merged).
// params: id
// returns: deleted
/* :params {id: "c-001"} */
OPTIONAL MATCH (m:MergeRecord)
WHERE m.kept_id = $id OR m.merged_id = $id
DETACH DELETE m
RETURN count(m) AS deleted
