// Upserts REFERRED from referrer to referred customer (one per pair; at, converted, project_id).
// params: rows
// returns: created, updated, total
/* :params {rows: [{referrer_id: "c-001", referred_id: "c-002", props: {at: datetime("2025-05-01T09:00:00Z"), converted: true}}]} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.referrer_id})
MATCH (b:Customer {id: row.referred_id})
OPTIONAL MATCH (a)-[old:REFERRED]->(b)
WITH row, a, b, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (a)-[r:REFERRED]->(b)
SET r += row.props
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
