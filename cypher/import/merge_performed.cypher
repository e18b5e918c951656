// Moves PERFORMED edges (interactions) from a merged duplicate customer to the kept one, updating customer_id.
// params: pairs
// returns: moved
/* :params {pairs: [{kept_id: "c-001", merged_id: "c-002"}]} */
UNWIND $pairs AS pair
MATCH (k:Customer {id: pair.kept_id})
MATCH (m:Customer {id: pair.merged_id})-[r:PERFORMED]->(x:Interaction)
WHERE x <> k
MERGE (k)-[n:PERFORMED]->(x)
ON CREATE SET n = properties(r)
SET x.customer_id = pair.kept_id
DELETE r
RETURN count(*) AS moved
