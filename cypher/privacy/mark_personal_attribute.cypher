// Marks a custom attribute personal (or not); registers it as a string attribute when unknown.
// params: id, entity, key, personal
// returns: id, personal
/* :params {id: "customer.wechat_id", entity: "customer", key: "wechat_id", personal: true} */
MERGE (d:AttributeDef {id: $id})
ON CREATE SET d.entity = $entity, d.key = $key, d.type = 'string'
SET d.personal = $personal
RETURN d.id AS id, d.personal AS personal
