// One API key by its public id, with the companies its account manager's User MANAGES.
// params: id
// returns: key, user_found, company_ids
/* :params {id: "3f9a0c1b2d4e"} */
MATCH (k:ApiKey {id: $id})
OPTIONAL MATCH (u:User {id: k.user_id})
OPTIONAL MATCH (u)-[:MANAGES]->(co:Company)
WITH k, u, collect(co.id) AS company_ids
RETURN k {.*} AS key, u IS NOT NULL AS user_found, company_ids
