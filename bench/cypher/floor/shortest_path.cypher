// Floor for the relationship path: one shortest path over KNOWS and REFERRED (either direction), up to 6 hops.
// params: from_id, to_id
// returns: ids, kinds
/* :params {from_id: "c-000001", to_id: "c-000002"} */
MATCH (a:Customer {id: $from_id}), (b:Customer {id: $to_id})
MATCH p = shortestPath((a)-[:KNOWS|REFERRED*..6]-(b))
RETURN [n IN nodes(p) | n.id] AS ids, [r IN relationships(p) | type(r)] AS kinds
