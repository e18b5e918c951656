// Project memberships (MEMBER_OF) of these customers with the project's properties.
// params: ids
// returns: id, memberships
/* :params {ids: ["c-001", "c-002"]} */
// properties(x), not x {.*}, inside map literals: the embedded server returns only the projection there.
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN id, [(c)-[m:MEMBER_OF]->(p:Project) | {
  customer_id: id, project_id: p.id, project: properties(p), role: m.role, since: m.since
}] AS memberships
