// Members (MEMBER_OF) of these projects.
// params: ids
// returns: id, memberships
/* :params {ids: ["p-001"]} */
UNWIND $ids AS id
MATCH (p:Project {id: id})
RETURN id, [(c:Customer)-[m:MEMBER_OF]->(p) | {
  customer_id: c.id, project_id: id, role: m.role, since: m.since
}] AS memberships
