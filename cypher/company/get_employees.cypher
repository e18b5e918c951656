// Employments (WORKS_AT) at these companies.
// params: ids, scope_company_ids
// returns: id, employments
/* :params {ids: ["co-001"], scope_company_ids: null} */
UNWIND $ids AS id
MATCH (co:Company {id: id})
// An account manager sees only customers, companies and projects of their accounts, at both ends (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR co.id IN $scope_company_ids)
RETURN id, [(c:Customer)-[w:WORKS_AT]->(co) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) | {
  customer_id: c.id, company_id: id, title: w.title, since: w.since, until: w.until
}] AS employments
