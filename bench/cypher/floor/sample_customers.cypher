// Benchmark inputs: customers who have an employer and know someone (portrait, network and path inputs).
// params: limit
// returns: id
/* :params {limit: 2000} */
MATCH (c:Customer)-[:WORKS_AT]->(:Company)
WHERE EXISTS { (c)-[:KNOWS]-(:Customer) } AND EXISTS { (c)-[:PERFORMED]->(:Interaction) }
RETURN DISTINCT c.id AS id
LIMIT $limit
