// Current tag assignments of one customer or company, with each tag's name and category.
// params: id
// returns: key, name, category, kind, assignment
/* :params {id: "c-1"} */
OPTIONAL MATCH (c:Customer {id: $id})
OPTIONAL MATCH (co:Company {id: $id})
WITH coalesce(c, co) AS x
MATCH (x)-[r:HAS_TAG]->(t:Tag)
RETURN t.key AS key, t.name AS name, t.category AS category, t.kind AS kind, r {.*} AS assignment
ORDER BY t.key
