// Whether an id is a customer or a company (no row when neither).
// params: id
// returns: entity
/* :params {id: "c-1"} */
OPTIONAL MATCH (c:Customer {id: $id})
OPTIONAL MATCH (co:Company {id: $id})
WITH c, co WHERE c IS NOT NULL OR co IS NOT NULL
RETURN CASE WHEN c IS NOT NULL THEN 'customer' ELSE 'company' END AS entity
