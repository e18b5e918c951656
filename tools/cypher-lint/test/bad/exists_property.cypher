// ArcadeDB still takes exists(n.prop); Neo4j 5 removed it (use IS NOT NULL).
// params:
MATCH (c:Customer)
WHERE exists(c.email)
RETURN c.id AS id
