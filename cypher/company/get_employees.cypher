// Employments (WORKS_AT) at these companies.
// params: ids
// returns: id, employments
/* :params {ids: ["co-001"]} */
UNWIND $ids AS id
MATCH (co:Company {id: id})
RETURN id, [(c:Customer)-[w:WORKS_AT]->(co) | {
  customer_id: c.id, company_id: id, title: w.title, since: w.since, until: w.until
}] AS employments
