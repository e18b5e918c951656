// Baseline for import benchmarks: the plainest UNWIND upsert of interaction rows with their PERFORMED edge.
// params: rows
// returns: written
/* :params {rows: [{id: "i-001", customer_id: "c-001", props: {type: "purchase", customer_id: "c-001"}}]} */
UNWIND $rows AS row
MATCH (c:Customer {id: row.customer_id})
MERGE (i:Interaction {id: row.id})
SET i += row.props
MERGE (c)-[:PERFORMED]->(i)
RETURN count(*) AS written
