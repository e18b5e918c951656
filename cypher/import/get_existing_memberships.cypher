// Properties of the MEMBER_OF edges of an import batch that exist already (new, changed or unchanged rows).
// params: rows
// returns: customer_id, project_id, props
/* :params {rows: [{customer_id: "c-001", project_id: "p-001"}]} */
UNWIND $rows AS row
MATCH (:Customer {id: row.customer_id})-[r:MEMBER_OF]->(:Project {id: row.project_id})
RETURN row.customer_id AS customer_id, row.project_id AS project_id, properties(r) AS props
