// Upserts HAS_TAG (new ones default to source "manual", assigned now) from customers to tags (one per pair; source, score, assigned_at, expires_at, reason).
// params: rows, now
// returns: created, updated, total
/* :params {rows: [{customer_id: "c-001", tag_key: "vip", props: {source: "manual", assigned_at: datetime("2025-01-01T00:00:00Z")}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.customer_id})
MATCH (b:Tag {key: row.tag_key})
OPTIONAL MATCH (a)-[old:HAS_TAG]->(b)
WITH row, a, b, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (a)-[r:HAS_TAG]->(b)
ON CREATE SET r.assigned_at = $now, r.source = "manual"
SET r += row.props
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
