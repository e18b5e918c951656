// Customers with these ids and all their properties, to choose which duplicate to keep.
// params: ids
// returns: id, customer
/* :params {ids: ["c-001", "c-002"]} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN id, c {.*} AS customer
