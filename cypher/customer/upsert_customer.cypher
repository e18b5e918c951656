// Create or update one customer by id; only the given properties change (null removes one).
// params: id, props, now
// returns: customer
/* :params {id: "c-001", props: {name: "Li Wei", name_lc: "li wei", city: "Shanghai"}, now: datetime("2025-01-01T00:00:00Z")} */
MERGE (c:Customer {id: $id})
ON CREATE SET c.created_at = $now
SET c += $props, c.updated_at = $now
RETURN c {.*} AS customer
