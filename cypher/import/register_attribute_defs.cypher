// Registers custom attribute columns as AttributeDef nodes (id "<entity>.<key>"); existing ones keep their type.
// params: defs
// returns: created
/* :params {defs: [{id: "customer.vip_level", entity: "customer", key: "vip_level", type: "int"}]} */
UNWIND $defs AS def
OPTIONAL MATCH (old:AttributeDef {id: def.id})
MERGE (a:AttributeDef {id: def.id})
ON CREATE SET a.entity = def.entity, a.key = def.key, a.type = def.type, a.personal = false
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created
