// Users with these ids and the ids of the companies each MANAGES (for account-manager scope).
// params: ids
// returns: id, user, company_ids
/* :params {ids: ["u-li"]} */
UNWIND $ids AS id
MATCH (u:User {id: id})
OPTIONAL MATCH (u)-[:MANAGES]->(co:Company)
WITH id, u, collect(co.id) AS company_ids
RETURN id, u {.*} AS user, company_ids
