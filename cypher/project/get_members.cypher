// Members (MEMBER_OF) of these projects with each member's properties.
// params: ids
// returns: id, memberships
/* :params {ids: ["p-001"]} */
// properties(x), not x {.*}, inside map literals: the embedded server returns only the projection there.
UNWIND $ids AS id
MATCH (p:Project {id: id})
RETURN id, [(c:Customer)-[m:MEMBER_OF]->(p) | {
  customer_id: c.id, project_id: id, customer: properties(c), role: m.role, since: m.since
}] AS memberships
