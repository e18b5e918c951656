// Interactions up to as_of and all tag assignments of these customers, for portraits.
// params: ids, as_of, scope_company_ids
// returns: id, interactions, tags
/* :params {ids: ["c-001"], as_of: datetime("2025-06-30T00:00:00Z"), scope_company_ids: null} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
// An account manager sees only customers working at their companies (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids })
RETURN id,
  [(c)-[:PERFORMED]->(i:Interaction) WHERE i.occurred_at <= $as_of | {type: i.type, occurred_at: i.occurred_at, amount: i.amount}] AS interactions,
  [(c)-[h:HAS_TAG]->(t:Tag) | {
    key: t.key, name: t.name, category: t.category, source: h.source, score: h.score, value: h.value,
    assigned_at: h.assigned_at, expires_at: h.expires_at, assigned_by: h.assigned_by, reason: h.reason
  }] AS tags
