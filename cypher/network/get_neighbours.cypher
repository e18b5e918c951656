// Everything one step from these customers: acquaintances, referrals both ways, colleagues (with both employments' dates), employers and projects.
// params: ids, scope_company_ids
// returns: id, knows, referred, referred_by, colleagues, employments, memberships
/* :params {ids: ["c-001", "c-002"], scope_company_ids: null} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
// An account manager sees only customers, companies and projects of their accounts, at both ends (graph/scope.py).
WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids })
RETURN id,
  [(c)-[k:KNOWS]-(o:Customer) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (o)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) | {id: o.id, name: o.name, since: k.since}] AS knows,
  [(c)-[r:REFERRED]->(o:Customer) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (o)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) | {id: o.id, name: o.name, at: r.at, converted: r.converted, project_id: r.project_id}] AS referred,
  [(c)<-[r:REFERRED]-(o:Customer) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (o)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) | {id: o.id, name: o.name, at: r.at, converted: r.converted, project_id: r.project_id}] AS referred_by,
  [(c)-[w1:WORKS_AT]->(co:Company)<-[w2:WORKS_AT]-(o:Customer) WHERE o.id <> id AND ($scope_company_ids IS NULL OR co.id IN $scope_company_ids) AND ($scope_company_ids IS NULL OR EXISTS { MATCH (o)-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }) | {
    id: o.id, name: o.name, company_id: co.id, since1: w1.since, until1: w1.until, since2: w2.since, until2: w2.until
  }] AS colleagues,
  [(c)-[w:WORKS_AT]->(co:Company) WHERE ($scope_company_ids IS NULL OR co.id IN $scope_company_ids) | {company_id: co.id, name: co.name, title: w.title, since: w.since, until: w.until}] AS employments,
  [(c)-[m:MEMBER_OF]->(p:Project) WHERE ($scope_company_ids IS NULL OR EXISTS { MATCH (sco:Company)-[:OWNS]->(p) WHERE sco.id IN $scope_company_ids }) | {project_id: p.id, name: p.name, role: m.role, since: m.since}] AS memberships
