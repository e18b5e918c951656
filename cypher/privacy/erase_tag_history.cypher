// Erasure step: deletes the tag events (history) about one customer.
// params: id
// returns: deleted
/* :params {id: "c-001"} */
OPTIONAL MATCH (e:TagEvent {entity: 'customer', entity_id: $id})
DETACH DELETE e
RETURN count(e) AS deleted
