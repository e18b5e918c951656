// Floor for the nested list: the first customers by id with their current employer and tags, in one query
// after floor/page_bound (ids up to $bound are served from the index; without it every customer is sorted).
// params: limit, bound
// returns: customer
/* :params {limit: 20, bound: "c-000020"} */
MATCH (c:Customer)
WHERE c.id <= $bound
WITH c ORDER BY c.id LIMIT $limit
RETURN c {.id, .name, .email, .city,
  company: head([(c)-[w:WORKS_AT]->(co:Company) WHERE w.until IS NULL | co {.id, .name}]),
  tags: [(c)-[:HAS_TAG]->(t:Tag) | t {.key, .name, .category}]
} AS customer
