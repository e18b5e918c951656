// Customers with these ids, for the customer DataLoader; attribute_keys are the registered custom attributes.
// The activity digest's properties are nulled in reads (graph/entities.py Entity.projection): a page has no use for them.
// params: ids, scope_company_ids
// returns: id, customer, attribute_keys
/* :params {ids: ["c-001", "c-002"], scope_company_ids: null} */
OPTIONAL MATCH (d:AttributeDef {entity: 'customer'})
WITH collect(d.key) AS attribute_keys
UNWIND $ids AS id
MATCH (c:Customer {id: id})
// An account manager sees only customers working at their companies (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids })
RETURN id, c {.*, activity_call: null, activity_email: null, activity_feedback: null, activity_meeting: null, activity_purchase: null, activity_referral: null, activity_support: null, activity_v: null, activity_visit: null} AS customer, attribute_keys
