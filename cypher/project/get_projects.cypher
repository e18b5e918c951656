// Projects with these ids, for the project DataLoader; attribute_keys are the registered custom attributes.
// params: ids
// returns: id, project, attribute_keys
/* :params {ids: ["p-001"]} */
OPTIONAL MATCH (d:AttributeDef {entity: 'project'})
WITH collect(d.key) AS attribute_keys
UNWIND $ids AS id
MATCH (p:Project {id: id})
RETURN id, p {.*} AS project, attribute_keys
