// Import floor: the plainest UNWIND upsert of KNOWS edges (stored low id -> high id).
// params: rows
// returns: written
/* :params {rows: [{low_id: "c-001", high_id: "c-002", props: {since: datetime("2024-02-01T00:00:00Z")}}]} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.low_id})
MATCH (b:Customer {id: row.high_id})
MERGE (a)-[r:KNOWS]->(b)
SET r += row.props
RETURN count(*) AS written
