// Projects with these ids, for the project DataLoader; attribute_keys are the registered custom attributes.
// params: ids, scope_company_ids
// returns: id, project, attribute_keys
/* :params {ids: ["p-001"], scope_company_ids: null} */
OPTIONAL MATCH (d:AttributeDef {entity: 'project'})
WITH collect(d.key) AS attribute_keys
UNWIND $ids AS id
MATCH (p:Project {id: id})
// An account manager sees only projects their companies own (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (sco:Company)-[:OWNS]->(p) WHERE sco.id IN $scope_company_ids })
RETURN id, p {.*} AS project, attribute_keys
