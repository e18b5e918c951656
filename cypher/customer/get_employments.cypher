// Employments (WORKS_AT) of these customers, newest first.
// params: ids
// returns: id, employments
/* :params {ids: ["c-001", "c-002"]} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN id, [(c)-[w:WORKS_AT]->(co:Company) | {
  customer_id: id, company_id: co.id, title: w.title, since: w.since, until: w.until
}] AS employments
