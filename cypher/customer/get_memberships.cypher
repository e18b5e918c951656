// Project memberships (MEMBER_OF) of these customers.
// params: ids, scope_company_ids
// returns: id, memberships
/* :params {ids: ["c-001", "c-002"], scope_company_ids: null} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
// An account manager sees only customers, companies and projects of their accounts, at both ends (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids })
RETURN id, [(c)-[m:MEMBER_OF]->(p:Project) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (sco:Company)-[:OWNS]->(p) WHERE sco.id IN $scope_company_ids }) | {
  customer_id: id, project_id: p.id, role: m.role, since: m.since
}] AS memberships
