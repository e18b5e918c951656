// Companies with these ids, for the company DataLoader; attribute_keys are the registered custom attributes.
// params: ids, scope_company_ids
// returns: id, company, attribute_keys
/* :params {ids: ["co-001"], scope_company_ids: null} */
OPTIONAL MATCH (d:AttributeDef {entity: 'company'})
WITH collect(d.key) AS attribute_keys
UNWIND $ids AS id
MATCH (co:Company {id: id})
// An account manager sees only the companies they manage (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR co.id IN $scope_company_ids)
RETURN id, co {.*} AS company, attribute_keys
