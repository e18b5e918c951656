// The registered custom attributes of one entity, so import columns keep their declared types.
// params: entity
// returns: key, type
/* :params {entity: "customer"} */
MATCH (a:AttributeDef {entity: $entity})
RETURN a.key AS key, a.type AS type
ORDER BY key
