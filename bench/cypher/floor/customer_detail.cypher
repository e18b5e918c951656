// Floor for the customer detail: one customer with current employer, project roles and tags, in one query.
// params: id
// returns: customer
/* :params {id: "c-000001"} */
MATCH (c:Customer {id: $id})
RETURN c {.id, .name, .email, .city,
  company: head([(c)-[w:WORKS_AT]->(co:Company) WHERE w.until IS NULL | co {.id, .name}]),
  projects: [(c)-[m:MEMBER_OF]->(p:Project) | {project_id: p.id, role: m.role}],
  tags: [(c)-[:HAS_TAG]->(t:Tag) | t {.key, .name, .category}]
} AS customer
