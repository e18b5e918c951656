// Merges duplicate customers whose edges were moved: fills the kept one's gaps, records a MergeRecord, deletes the other.
// params: pairs, now
// returns: merged
/* :params {pairs: [{kept_id: "c-001", merged_id: "c-002", reason: "same email", fill: {occupation: "engineer"}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $pairs AS pair
MATCH (k:Customer {id: pair.kept_id})
MATCH (m:Customer {id: pair.merged_id})
SET k += pair.fill, k.updated_at = $now
MERGE (rec:MergeRecord {kept_id: pair.kept_id, merged_id: pair.merged_id})
ON CREATE SET rec.at = $now, rec.reason = pair.reason
DETACH DELETE m
RETURN count(*) AS merged
