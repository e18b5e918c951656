// Employments (WORKS_AT) at these companies with each employee's properties.
// params: ids
// returns: id, employments
/* :params {ids: ["co-001"]} */
// properties(x), not x {.*}, inside map literals: the embedded server returns only the projection there.
UNWIND $ids AS id
MATCH (co:Company {id: id})
RETURN id, [(c:Customer)-[w:WORKS_AT]->(co) | {
  customer_id: c.id, company_id: id, customer: properties(c), title: w.title, since: w.since, until: w.until
}] AS employments
