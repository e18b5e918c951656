// Customers with these ids, for the customer DataLoader.
// params: ids
// returns: customer
/* :params {ids: ["c-001", "c-002"]} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN c {.*} AS customer
