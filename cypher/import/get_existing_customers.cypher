// Properties of the Customers of an import batch that exist already, so the importer can tell new, changed and unchanged rows apart.
// params: rows
// returns: id, props
/* :params {rows: [{id: "c-001"}, {id: "c-001-missing"}]} */
UNWIND $rows AS row
MATCH (n:Customer {id: row.id})
RETURN row.id AS id, properties(n) AS props
