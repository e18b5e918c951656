// Companies with these ids, for the company DataLoader; attribute_keys are the registered custom attributes.
// params: ids
// returns: id, company, attribute_keys
/* :params {ids: ["co-001"]} */
OPTIONAL MATCH (d:AttributeDef {entity: 'company'})
WITH collect(d.key) AS attribute_keys
UNWIND $ids AS id
MATCH (co:Company {id: id})
RETURN id, co {.*} AS company, attribute_keys
