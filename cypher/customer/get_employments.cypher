// Employments (WORKS_AT) of these customers, newest first.
// params: ids, scope_company_ids
// returns: id, employments
/* :params {ids: ["c-001", "c-002"], scope_company_ids: null} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
// An account manager sees only customers, companies and projects of their accounts, at both ends (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids })
RETURN id, [(c)-[w:WORKS_AT]->(co:Company) WHERE ($scope_company_ids IS NULL OR co.id IN $scope_company_ids) | {
  customer_id: id, company_id: co.id, title: w.title, since: w.since, until: w.until
}] AS employments
