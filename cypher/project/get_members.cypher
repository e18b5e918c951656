// Members (MEMBER_OF) of these projects.
// params: ids, scope_company_ids
// returns: id, memberships
/* :params {ids: ["p-001"], scope_company_ids: null} */
UNWIND $ids AS id
MATCH (p:Project {id: id})
// An account manager sees only customers, companies and projects of their accounts, at both ends (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (sco:Company)-[:OWNS]->(p) WHERE sco.id IN $scope_company_ids })
RETURN id, [(c:Customer)-[m:MEMBER_OF]->(p) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) | {
  customer_id: c.id, project_id: id, role: m.role, since: m.since
}] AS memberships
