// Import floor: the plainest UNWIND upsert of REFERRED edges.
// params: rows
// returns: written
/* :params {rows: [{referrer_id: "c-001", referred_id: "c-002", props: {converted: true}}]} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.referrer_id})
MATCH (b:Customer {id: row.referred_id})
MERGE (a)-[r:REFERRED]->(b)
SET r += row.props
RETURN count(*) AS written
