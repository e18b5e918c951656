// Projects owned by these companies (OWNS), with the project's properties.
// params: ids, scope_company_ids
// returns: id, projects
/* :params {ids: ["co-001"], scope_company_ids: null} */
UNWIND $ids AS id
MATCH (co:Company {id: id})
// An account manager sees only their companies, and so only projects those companies own (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR co.id IN $scope_company_ids)
RETURN id, [(co)-[:OWNS]->(p:Project) | p {.*}] AS projects
