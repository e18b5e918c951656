// Which of these Project ids exist, to reject import rows that point at unknown ones.
// params: ids
// returns: id
/* :params {ids: ["p-001", "p-001-missing"]} */
UNWIND $ids AS id
MATCH (n:Project {id: id})
RETURN id
