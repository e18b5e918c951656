// Import floor: the plainest UNWIND upsert of WORKS_AT edges.
// params: rows
// returns: written
/* :params {rows: [{customer_id: "c-001", company_id: "co-001", props: {title: "CTO"}}]} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.customer_id})
MATCH (b:Company {id: row.company_id})
MERGE (a)-[r:WORKS_AT]->(b)
SET r += row.props
RETURN count(*) AS written
