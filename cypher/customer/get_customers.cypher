// Customers with these ids, for the customer DataLoader; attribute_keys are the registered custom attributes.
// params: ids
// returns: id, customer, attribute_keys
/* :params {ids: ["c-001", "c-002"]} */
OPTIONAL MATCH (d:AttributeDef {entity: 'customer'})
WITH collect(d.key) AS attribute_keys
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN id, c {.*} AS customer, attribute_keys
