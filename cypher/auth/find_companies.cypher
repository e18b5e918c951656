// Which of these company ids exist, to name the unknown ones before assigning them to a User.
// params: ids
// returns: id
/* :params {ids: ["co-001", "co-404"]} */
UNWIND $ids AS id
MATCH (co:Company {id: id})
RETURN co.id AS id
