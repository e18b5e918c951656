// Upserts Interaction nodes by id with the customer who PERFORMED each and the project it is ABOUT.
// params: rows, now
// returns: created, updated, total
/* :params {rows: [{id: "i-001", customer_id: "c-001", project_id: null, props: {type: "purchase", occurred_at: datetime("2025-06-01T10:00:00Z"), amount: 99.5, customer_id: "c-001"}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
OPTIONAL MATCH (old:Interaction {id: row.id})
WITH row, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (i:Interaction {id: row.id})
SET i += row.props
FOREACH (_ IN CASE WHEN old IS NULL OR changed THEN [1] ELSE [] END | SET i.updated_at = $now)
WITH row, i, old, changed
MATCH (c:Customer {id: row.customer_id})
MERGE (c)-[:PERFORMED]->(i)
WITH row, i, old, changed
// A null id is looked up as '' (no id is empty): the embedded server scans the label for {id: null}.
OPTIONAL MATCH (p:Project {id: coalesce(row.project_id, '')})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (i)-[:ABOUT]->(p))
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
