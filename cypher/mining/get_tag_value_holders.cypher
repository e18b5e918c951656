// Customers holding a tag with a given value (e.g. the members of one community), with their scores.
// params: key, value
// returns: id, score
/* :params {key: "community", value: "cm-c-001"} */
MATCH (c:Customer)-[r:HAS_TAG]->(:Tag {key: $key})
WHERE r.value = $value
RETURN c.id AS id, r.score AS score
ORDER BY id
