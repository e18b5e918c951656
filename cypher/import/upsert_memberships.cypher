// Upserts MEMBER_OF from customers to projects (one per pair; role, since).
// params: rows
// returns: created, updated, total
/* :params {rows: [{customer_id: "c-001", project_id: "p-001", props: {role: "sponsor", since: date("2025-03-01")}}]} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.customer_id})
MATCH (b:Project {id: row.project_id})
OPTIONAL MATCH (a)-[old:MEMBER_OF]->(b)
WITH row, a, b, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (a)-[r:MEMBER_OF]->(b)
SET r += row.props
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
