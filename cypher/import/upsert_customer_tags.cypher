// Writes new or changed HAS_TAG import rows (new ones default to source "manual", assigned now; one per pair; source, score, assigned_at, expires_at, reason).
// params: rows, now
// returns: written
/* :params {rows: [{customer_id: "c-001", tag_key: "vip", props: {source: "manual", assigned_at: datetime("2025-01-01T00:00:00Z")}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.customer_id})
MATCH (b:Tag {key: row.tag_key})
MERGE (a)-[r:HAS_TAG]->(b)
ON CREATE SET r.assigned_at = $now, r.source = "manual"
SET r += row.props
RETURN count(*) AS written
