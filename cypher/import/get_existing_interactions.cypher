// Properties of the Interactions of an import batch that exist already, so the importer can tell new, changed and unchanged rows apart.
// params: rows
// returns: id, props
/* :params {rows: [{id: "i-001"}, {id: "i-001-missing"}]} */
UNWIND $rows AS row
MATCH (n:Interaction {id: row.id})
RETURN row.id AS id, properties(n) AS props
