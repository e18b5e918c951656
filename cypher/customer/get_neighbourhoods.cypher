// Customers with their one-hop neighbourhood (employments with their companies, project memberships, current tag
// The activity digest's properties are nulled in reads (graph/entities.py Entity.projection): a page has no use for them.
// assignments) in one query, so a list page or a customer screen needs one round trip for all of it.
// Assignments not valid at $now are left out here: reading an edge's properties is the costly part on the embedded server.
// params: ids, scope_company_ids, now
// returns: id, customer, attribute_keys, company_attribute_keys, employments, memberships, tags
/* :params {ids: ["c-001", "c-002"], scope_company_ids: null, now: datetime("2026-11-01T00:00:00Z")} */
OPTIONAL MATCH (d:AttributeDef {entity: 'customer'})
WITH collect(d.key) AS attribute_keys
OPTIONAL MATCH (e:AttributeDef {entity: 'company'})
WITH attribute_keys, collect(e.key) AS company_attribute_keys
UNWIND $ids AS id
MATCH (c:Customer {id: id})
// An account manager sees only customers, companies and projects of their accounts, at both ends (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids })
// graph/neighbourhoods.py runs this RETURN clause (from here on) on the rows of a customers page, `c` and `id` bound per row.
RETURN id, c {.*, activity_call: null, activity_email: null, activity_feedback: null, activity_meeting: null, activity_purchase: null, activity_referral: null, activity_support: null, activity_v: null, activity_visit: null} AS customer, attribute_keys, company_attribute_keys,
  [(c)-[w:WORKS_AT]->(co:Company) WHERE ($scope_company_ids IS NULL OR co.id IN $scope_company_ids) | {
    customer_id: id, company_id: co.id, title: w.title, since: w.since, until: w.until, company: properties(co)
  }] AS employments,
  [(c)-[m:MEMBER_OF]->(p:Project) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (sco:Company)-[:OWNS]->(p) WHERE sco.id IN $scope_company_ids }) | {
    customer_id: id, project_id: p.id, role: m.role, since: m.since
  }] AS memberships,
  [(c)-[r:HAS_TAG]->(t:Tag) WHERE (r.expires_at IS NULL OR r.expires_at > $now) AND (r.assigned_at IS NULL OR r.assigned_at <= $now) | {key: t.key, name: t.name, category: t.category, kind: t.kind, assignment: properties(r)}] AS tags
