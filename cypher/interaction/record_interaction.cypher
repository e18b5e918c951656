// Record one interaction performed by a customer (idempotent by id: an existing one is left as it is).
// params: id, customer_id, props
// returns: interaction
/* :params {id: "i-001", customer_id: "c-001", props: {type: "purchase", occurred_at: datetime("2025-01-01T10:00:00Z"), amount: 99.5}} */
MATCH (c:Customer {id: $customer_id})
MERGE (i:Interaction {id: $id})
ON CREATE SET i += $props, i.customer_id = $customer_id
MERGE (c)-[:PERFORMED]->(i)
RETURN i {.*} AS interaction
