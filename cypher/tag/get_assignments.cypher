// Every current assignment of one tag (customers and companies), for a refresh to diff against.
// params: key
// returns: entity, id, source, expires_at, value
/* :params {key: "important_customer"} */
MATCH (t:Tag {key: $key})
MATCH (x)-[r:HAS_TAG]->(t)
RETURN CASE WHEN x:Company THEN 'company' ELSE 'customer' END AS entity, x.id AS id,
       r.source AS source, r.expires_at AS expires_at, r.value AS value
