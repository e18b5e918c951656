// Keys of an entity's custom attributes marked personal: masked for analysts, removed by erasure.
// params: entity
// returns: key
/* :params {entity: "customer"} */
MATCH (d:AttributeDef {entity: $entity})
WHERE d.personal = true
RETURN d.key AS key
ORDER BY key
