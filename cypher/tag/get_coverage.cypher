// How many customers hold a tag validly at a time, and how many customers there are (starts from the tag: much faster).
// params: key, at
// returns: holders, total
/* :params {key: "vip", at: datetime()} */
MATCH (each:Customer)
WITH count(each) AS total
OPTIONAL MATCH (t:Tag {key: $key})
OPTIONAL MATCH (c:Customer)-[r:HAS_TAG]->(t)
WHERE (r.expires_at IS NULL OR r.expires_at > $at) AND (r.assigned_at IS NULL OR r.assigned_at <= $at)
RETURN count(DISTINCT c) AS holders, total
