// Moves WORKS_AT edges from a merged duplicate customer to the kept one.
// params: pairs
// returns: moved
/* :params {pairs: [{kept_id: "c-001", merged_id: "c-002"}]} */
UNWIND $pairs AS pair
MATCH (k:Customer {id: pair.kept_id})
MATCH (m:Customer {id: pair.merged_id})-[r:WORKS_AT]->(x:Company)
WHERE x <> k
MERGE (k)-[n:WORKS_AT]->(x)
ON CREATE SET n = properties(r)
DELETE r
RETURN count(*) AS moved
