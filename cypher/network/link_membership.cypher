// Make a customer a member of a project (MEMBER_OF), one relationship per pair; role and since are set.
// params: customer_id, project_id, role, since
// returns: linked
/* :params {customer_id: "c-001", project_id: "p-001", role: "sponsor", since: date("2024-03-01")} */
MATCH (c:Customer {id: $customer_id}), (p:Project {id: $project_id})
MERGE (c)-[m:MEMBER_OF]->(p)
SET m.role = $role, m.since = $since
RETURN count(m) AS linked
