// How many customers exist, so demo data loads only into an empty graph.
// params:
// returns: customers
/* :params {} */
MATCH (c:Customer)
RETURN count(c) AS customers
