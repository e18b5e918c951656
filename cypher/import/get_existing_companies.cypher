// Properties of the Companies of an import batch that exist already, so the importer can tell new, changed and unchanged rows apart.
// params: rows
// returns: id, props
/* :params {rows: [{id: "co-001"}, {id: "co-001-missing"}]} */
UNWIND $rows AS row
MATCH (n:Company {id: row.id})
RETURN row.id AS id, properties(n) AS props
