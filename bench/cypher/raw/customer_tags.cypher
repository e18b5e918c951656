// Import floor: the plainest UNWIND upsert of HAS_TAG edges.
// params: rows
// returns: written
/* :params {rows: [{customer_id: "c-001", tag_key: "vip", props: {source: "manual"}}]} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.customer_id})
MATCH (b:Tag {key: row.tag_key})
MERGE (a)-[r:HAS_TAG]->(b)
SET r += row.props
RETURN count(*) AS written
