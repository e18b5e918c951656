// Every relationship rules look at, for the in-memory rule evaluator (small graphs only); HAS_TAG points at the tag key.
// params:
// returns: type, src, dst, props
/* :params {} */
MATCH (a)-[r]->(b)
WHERE type(r) IN ['WORKS_AT', 'MEMBER_OF', 'KNOWS', 'REFERRED', 'PERFORMED', 'HAS_TAG', 'OWNS', 'ABOUT']
RETURN type(r) AS type, a.id AS src, coalesce(b.id, b.key) AS dst, r {.*} AS props
