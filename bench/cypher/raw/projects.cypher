// Import floor: the plainest UNWIND upsert of Project rows and the OWNS edge from their company.
// params: rows
// returns: written
/* :params {rows: [{id: "p-001", company_id: "co-001", props: {name: "CRM rollout", stage: "won"}}]} */
UNWIND $rows AS row
MERGE (p:Project {id: row.id})
SET p += row.props
WITH row, p
MATCH (co:Company {id: row.company_id})
MERGE (co)-[:OWNS]->(p)
RETURN count(*) AS written
