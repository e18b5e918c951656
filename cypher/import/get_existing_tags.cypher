// Properties of the Tags of an import batch that exist already, so the importer can tell new, changed and unchanged rows apart.
// params: rows
// returns: key, props
/* :params {rows: [{key: "vip"}, {key: "vip-missing"}]} */
UNWIND $rows AS row
MATCH (n:Tag {key: row.key})
RETURN row.key AS key, properties(n) AS props
