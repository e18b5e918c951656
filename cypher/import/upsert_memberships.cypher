// Writes new or changed MEMBER_OF import rows from customers to projects (one per pair; role, since).
// params: rows
// returns: written
/* :params {rows: [{customer_id: "c-001", project_id: "p-001", props: {role: "sponsor", since: date("2025-03-01")}}]} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.customer_id})
MATCH (b:Project {id: row.project_id})
MERGE (a)-[r:MEMBER_OF]->(b)
SET r += row.props
RETURN count(*) AS written
