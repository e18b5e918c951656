// Selects Cypher 25, which Neo4j 5 does not have.
// params:
/* :params {} */
CYPHER 25
MATCH (c:Customer)
RETURN count(c) AS n
