// Companies whose lower-cased name contains the text; prefix matches first.
// params: text, limit, scope_company_ids
// returns: company, attribute_keys
/* :params {text: "acme", limit: 20, scope_company_ids: null} */
OPTIONAL MATCH (d:AttributeDef {entity: 'company'})
WITH collect(d.key) AS attribute_keys
MATCH (co:Company)
WHERE co.name_lc CONTAINS $text AND ($scope_company_ids IS NULL OR co.id IN $scope_company_ids)
WITH co, attribute_keys, CASE WHEN co.name_lc STARTS WITH $text THEN 0 ELSE 1 END AS rank
ORDER BY rank, co.name_lc, co.id
LIMIT $limit
RETURN co {.*} AS company, attribute_keys
