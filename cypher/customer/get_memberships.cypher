// Project memberships (MEMBER_OF) of these customers.
// params: ids
// returns: id, memberships
/* :params {ids: ["c-001", "c-002"]} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN id, [(c)-[m:MEMBER_OF]->(p:Project) | {
  customer_id: id, project_id: p.id, role: m.role, since: m.since
}] AS memberships
