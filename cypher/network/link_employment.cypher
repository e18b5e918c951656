// Link a customer to a company (WORKS_AT), one relationship per pair; title and dates are set.
// params: customer_id, company_id, title, since, until
// returns: linked
/* :params {customer_id: "c-001", company_id: "co-001", title: "CTO", since: date("2020-01-01"), until: null} */
MATCH (c:Customer {id: $customer_id}), (co:Company {id: $company_id})
MERGE (c)-[w:WORKS_AT]->(co)
SET w.title = $title, w.since = $since, w.until = $until
RETURN count(w) AS linked
