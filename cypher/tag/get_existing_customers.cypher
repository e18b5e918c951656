// Which of these ids are customers.
// params: ids
// returns: id
/* :params {ids: ["c-1", "c-404"]} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN c.id AS id
