// Properties and owning companies of the Projects of an import batch that exist already (new, changed or unchanged rows).
// params: rows
// returns: id, props, owners
/* :params {rows: [{id: "p-001"}, {id: "p-001-missing"}]} */
UNWIND $rows AS row
MATCH (n:Project {id: row.id})
RETURN row.id AS id, properties(n) AS props, [(co:Company)-[:OWNS]->(n) | co.id] AS owners
