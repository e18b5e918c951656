// Record that two customers know each other: stored once in either direction (undirected MERGE).
// params: customer_id, other_id, since
// returns: linked
/* :params {customer_id: "c-001", other_id: "c-002", since: datetime("2023-05-01T00:00:00Z")} */
MATCH (a:Customer {id: $customer_id}), (b:Customer {id: $other_id})
MERGE (a)-[k:KNOWS]-(b)
SET k.since = coalesce($since, k.since)
RETURN count(k) AS linked
