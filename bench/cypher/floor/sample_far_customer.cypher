// Benchmark inputs: a customer three KNOWS steps from the given one, not closer (a path-query target).
// params: id
// returns: id
/* :params {id: "c-000001"} */
MATCH (a:Customer {id: $id})-[:KNOWS]-(:Customer)-[:KNOWS]-(:Customer)-[:KNOWS]-(b:Customer)
WHERE b <> a AND NOT EXISTS { (a)-[:KNOWS]-(b) } AND NOT EXISTS { (a)-[:KNOWS]-(:Customer)-[:KNOWS]-(b) }
RETURN b.id AS id
ORDER BY id
LIMIT 1
