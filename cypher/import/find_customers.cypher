// Which of these Customer ids exist, to reject import rows that point at unknown ones.
// params: ids
// returns: id
/* :params {ids: ["c-001", "c-001-missing"]} */
UNWIND $ids AS id
MATCH (n:Customer {id: id})
RETURN id
