// Customers whose lower-cased name or email contains the text, or whose E.164 phone contains the digits; prefix matches first.
// params: text, digits, limit, scope_company_ids
// returns: customer, attribute_keys
/* :params {text: "li", digits: null, limit: 20, scope_company_ids: null} */
OPTIONAL MATCH (d:AttributeDef {entity: 'customer'})
WITH collect(d.key) AS attribute_keys
MATCH (c:Customer)
WHERE (c.name_lc CONTAINS $text OR c.email CONTAINS $text OR ($digits IS NOT NULL AND c.phone CONTAINS $digits))
  AND ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids })
WITH c, attribute_keys,
     CASE WHEN c.name_lc STARTS WITH $text OR c.email STARTS WITH $text OR c.phone ENDS WITH coalesce($digits, '-') THEN 0 ELSE 1 END AS rank
ORDER BY rank, c.name_lc, c.id
LIMIT $limit
RETURN c {.*} AS customer, attribute_keys
