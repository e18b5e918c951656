// Floor for the connection walk: one keyset page of customers by id after a given id.
// params: after, limit
// returns: customer
/* :params {after: "", limit: 50} */
MATCH (c:Customer)
WHERE c.id > $after
WITH c ORDER BY c.id LIMIT $limit
RETURN c {.id, .name, .email, .city} AS customer
