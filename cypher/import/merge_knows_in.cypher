// Moves incoming KNOWS edges from a merged duplicate to the kept customer, still once per pair.
// params: pairs
// returns: moved
/* :params {pairs: [{kept_id: "c-001", merged_id: "c-002"}]} */
UNWIND $pairs AS pair
MATCH (k:Customer {id: pair.kept_id})
MATCH (x:Customer)-[r:KNOWS]->(m:Customer {id: pair.merged_id})
WHERE x <> k
MERGE (k)-[n:KNOWS]-(x)
ON CREATE SET n = properties(r)
DELETE r
RETURN count(*) AS moved
