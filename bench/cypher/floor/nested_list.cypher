// Floor for the nested list: the first customers by id with their current employer and tags, in one query.
// params: limit
// returns: customer
/* :params {limit: 20} */
MATCH (c:Customer)
WITH c ORDER BY c.id LIMIT $limit
RETURN c {.id, .name, .email, .city,
  company: head([(c)-[w:WORKS_AT]->(co:Company) WHERE w.until IS NULL | co {.id, .name}]),
  tags: [(c)-[:HAS_TAG]->(t:Tag) | t {.key, .name, .category}]
} AS customer
