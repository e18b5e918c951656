// Every tag with the number of customers holding it validly at a time, and the number of customers.
// params: at
// returns: key, name, category, holders, total
/* :params {at: datetime()} */
MATCH (anyone:Customer)
WITH count(anyone) AS total
MATCH (t:Tag)
OPTIONAL MATCH (c:Customer)-[h:HAS_TAG]->(t)
WHERE (h.expires_at IS NULL OR h.expires_at > $at) AND (h.assigned_at IS NULL OR h.assigned_at <= $at)
RETURN t.key AS key, t.name AS name, t.category AS category, count(DISTINCT c) AS holders, total
ORDER BY key
