// Relationship maps of these companies: employees, their project memberships, referrals made and received by them.
// params: ids
// returns: id, employees, memberships, referrals_out, referrals_in
/* :params {ids: ["co-001"]} */
UNWIND $ids AS id
MATCH (co:Company {id: id})
RETURN id,
  [(c:Customer)-[w:WORKS_AT]->(co) | {
    customer_id: c.id, company_id: id, title: w.title, since: w.since, until: w.until
  }] AS employees,
  [(co)<-[:WORKS_AT]-(c:Customer)-[m:MEMBER_OF]->(p:Project) | {
    customer_id: c.id, project_id: p.id, role: m.role, since: m.since
  }] AS memberships,
  [(co)<-[:WORKS_AT]-(a:Customer)-[r:REFERRED]->(b:Customer) | {
    referrer_id: a.id, referred_id: b.id, at: r.at, converted: r.converted, project_id: r.project_id
  }] AS referrals_out,
  [(co)<-[:WORKS_AT]-(b:Customer)<-[r:REFERRED]-(a:Customer) | {
    referrer_id: a.id, referred_id: b.id, at: r.at, converted: r.converted, project_id: r.project_id
  }] AS referrals_in
