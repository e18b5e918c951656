// Writes Interaction import rows by id with the customer who PERFORMED each and the project it is ABOUT; updated_at moves
// for new and changed rows (touch); unchanged rows come too, so their edges are merged again (edges are only ever added).
// params: rows, now
// returns: written
/* :params {rows: [{id: "i-001", customer_id: "c-001", project_id: null, touch: true, props: {type: "purchase", occurred_at: datetime("2025-06-01T10:00:00Z"), amount: 99.5, customer_id: "c-001"}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
MERGE (i:Interaction {id: row.id})
SET i += row.props
FOREACH (_ IN CASE WHEN row.touch THEN [1] ELSE [] END | SET i.updated_at = $now)
WITH row, i
MATCH (c:Customer {id: row.customer_id})
MERGE (c)-[:PERFORMED]->(i)
WITH row, i
OPTIONAL MATCH (p:Project {id: coalesce(row.project_id, '')})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (i)-[:ABOUT]->(p))
RETURN count(*) AS written
