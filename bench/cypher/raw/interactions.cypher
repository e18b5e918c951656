// Import floor: the plainest UNWIND upsert of Interaction rows with PERFORMED and, when set, ABOUT.
// params: rows
// returns: written
/* :params {rows: [{id: "i-001", customer_id: "c-001", project_id: null, props: {type: "purchase", customer_id: "c-001"}}]} */
UNWIND $rows AS row
MATCH (c:Customer {id: row.customer_id})
MERGE (i:Interaction {id: row.id})
SET i += row.props
MERGE (c)-[:PERFORMED]->(i)
WITH row, i
// A null id is looked up as '' like the importer does: the embedded server scans the label for {id: null}.
OPTIONAL MATCH (p:Project {id: coalesce(row.project_id, '')})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (i)-[:ABOUT]->(p))
RETURN count(*) AS written
