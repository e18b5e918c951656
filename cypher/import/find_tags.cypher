// Which of these Tag keys exist, to reject customer_tags rows that point at unknown ones.
// params: ids
// returns: id
/* :params {ids: ["vip", "no-such-tag"]} */
UNWIND $ids AS id
MATCH (t:Tag {key: id})
RETURN id
