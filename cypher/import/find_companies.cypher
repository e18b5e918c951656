// Which of these Company ids exist, to reject import rows that point at unknown ones.
// params: ids
// returns: id
/* :params {ids: ["co-001", "co-001-missing"]} */
UNWIND $ids AS id
MATCH (n:Company {id: id})
RETURN id
