// Remove a customer's WORKS_AT relationship to a company.
// params: customer_id, company_id
// returns: removed
/* :params {customer_id: "c-001", company_id: "co-001"} */
MATCH (:Customer {id: $customer_id})-[w:WORKS_AT]->(:Company {id: $company_id})
DELETE w
RETURN count(w) AS removed
