// Register custom attribute keys (AttributeDef) that are not registered yet; existing types are kept.
// params: defs
// returns: id, type
/* :params {defs: [{id: "customer.vip_level", entity: "customer", key: "vip_level", type: "int"}]} */
UNWIND $defs AS def
MERGE (d:AttributeDef {id: def.id})
ON CREATE SET d.entity = def.entity, d.key = def.key, d.type = def.type, d.personal = false
RETURN d.id AS id, d.type AS type
