// Employments (WORKS_AT) of these customers with the company's properties, newest first.
// params: ids
// returns: id, employments
/* :params {ids: ["c-001", "c-002"]} */
// properties(x), not x {.*}, inside map literals: the embedded server returns only the projection there.
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN id, [(c)-[w:WORKS_AT]->(co:Company) | {
  customer_id: id, company_id: co.id, company: properties(co), title: w.title, since: w.since, until: w.until
}] AS employments
