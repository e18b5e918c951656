// Current tag assignments of these customers or companies, with each tag's name and category, for the DataLoader.
// params: ids
// returns: id, key, name, category, kind, assignment
/* :params {ids: ["c-1", "co-1"]} */
UNWIND $ids AS id
OPTIONAL MATCH (c:Customer {id: id})
OPTIONAL MATCH (co:Company {id: id})
WITH id, coalesce(c, co) AS x
MATCH (x)-[r:HAS_TAG]->(t:Tag)
RETURN id, t.key AS key, t.name AS name, t.category AS category, t.kind AS kind, r {.*} AS assignment
ORDER BY id, key
