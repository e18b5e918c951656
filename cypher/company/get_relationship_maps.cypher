// Relationship maps of these companies: employees, their project memberships, referrals made and received by them.
// params: ids
// returns: id, employees, memberships, referrals_out, referrals_in
/* :params {ids: ["co-001"]} */
// properties(x), not x {.*}, inside map literals: the embedded server returns only the projection there.
UNWIND $ids AS id
MATCH (co:Company {id: id})
RETURN id,
  [(c:Customer)-[w:WORKS_AT]->(co) | {
    customer_id: c.id, company_id: id, customer: properties(c), title: w.title, since: w.since, until: w.until
  }] AS employees,
  [(co)<-[:WORKS_AT]-(c:Customer)-[m:MEMBER_OF]->(p:Project) | {
    customer_id: c.id, project_id: p.id, project: properties(p), role: m.role, since: m.since
  }] AS memberships,
  [(co)<-[:WORKS_AT]-(a:Customer)-[r:REFERRED]->(b:Customer) | {
    referrer_id: a.id, referred_id: b.id, other: properties(b), at: r.at, converted: r.converted, project_id: r.project_id
  }] AS referrals_out,
  [(co)<-[:WORKS_AT]-(b:Customer)<-[r:REFERRED]-(a:Customer) | {
    referrer_id: a.id, referred_id: b.id, other: properties(a), at: r.at, converted: r.converted, project_id: r.project_id
  }] AS referrals_in
