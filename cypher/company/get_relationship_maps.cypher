// Relationship maps of these companies: employees, their project memberships, referrals made and received by them.
// params: ids, scope_company_ids
// returns: id, employees, memberships, referrals_out, referrals_in
/* :params {ids: ["co-001"], scope_company_ids: null} */
UNWIND $ids AS id
MATCH (co:Company {id: id})
// An account manager sees only customers, companies and projects of their accounts, at both ends (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR co.id IN $scope_company_ids)
RETURN id,
  [(c:Customer)-[w:WORKS_AT]->(co) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) | {
    customer_id: c.id, company_id: id, title: w.title, since: w.since, until: w.until
  }] AS employees,
  [(co)<-[:WORKS_AT]-(c:Customer)-[m:MEMBER_OF]->(p:Project) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) AND ($scope_company_ids IS NULL OR EXISTS { MATCH (sco:Company)-[:OWNS]->(p) WHERE sco.id IN $scope_company_ids }) | {
    customer_id: c.id, project_id: p.id, role: m.role, since: m.since
  }] AS memberships,
  [(co)<-[:WORKS_AT]-(a:Customer)-[r:REFERRED]->(b:Customer) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (a)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) AND ($scope_company_ids IS NULL OR EXISTS { MATCH (b)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) | {
    referrer_id: a.id, referred_id: b.id, at: r.at, converted: r.converted, project_id: r.project_id
  }] AS referrals_out,
  [(co)<-[:WORKS_AT]-(b:Customer)<-[r:REFERRED]-(a:Customer) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (a)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) AND ($scope_company_ids IS NULL OR EXISTS { MATCH (b)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) | {
    referrer_id: a.id, referred_id: b.id, at: r.at, converted: r.converted, project_id: r.project_id
  }] AS referrals_in
