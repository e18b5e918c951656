// Every customer id, in id order (the nodes of graph algorithms, isolated customers included).
// params:
// returns: id
MATCH (c:Customer)
RETURN c.id AS id
ORDER BY id
