// Creates or updates a User and replaces the set of companies it MANAGES.
// params: id, user_name, company_ids, at
// returns: managed
/* :params {id: "u-li", user_name: "Li Na", company_ids: ["co-001"], at: datetime("2026-01-01T00:00:00Z")} */
MERGE (u:User {id: $id})
ON CREATE SET u.created_at = $at
SET u.name = coalesce($user_name, u.name), u.updated_at = $at
WITH u
OPTIONAL MATCH (u)-[old:MANAGES]->(:Company)
DELETE old
WITH DISTINCT u
OPTIONAL MATCH (co:Company) WHERE co.id IN $company_ids
WITH u, collect(co) AS companies
FOREACH (co IN companies | MERGE (u)-[:MANAGES]->(co))
RETURN size(companies) AS managed
