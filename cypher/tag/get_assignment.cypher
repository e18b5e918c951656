// One assignment of a tag to a customer or company (absent when not tagged).
// params: id, key
// returns: entity, assignment
/* :params {id: "c-1", key: "vip"} */
OPTIONAL MATCH (c:Customer {id: $id})
OPTIONAL MATCH (co:Company {id: $id})
WITH coalesce(c, co) AS x
MATCH (x)-[r:HAS_TAG]->(:Tag {key: $key})
RETURN CASE WHEN x:Company THEN 'company' ELSE 'customer' END AS entity, r {.*} AS assignment
