// Floor for the connection walk: one keyset page of customers by id after a given id, up to floor/page_bound's bound.
// params: after, bound, limit
// returns: customer
/* :params {after: "", bound: "c-000050", limit: 50} */
MATCH (c:Customer)
WHERE c.id > $after AND c.id <= $bound
WITH c ORDER BY c.id LIMIT $limit
RETURN c {.id, .name, .email, .city} AS customer
