// Floor for id-ordered pages: any $limit customer ids after $after (read from the id index, not sorted), their largest.
// The page query then reads `c.id <= $bound` from the index instead of sorting every customer (graph/lists.py).
// params: after, limit
// returns: bound
/* :params {after: "", limit: 21} */
MATCH (c:Customer)
WHERE c.id > $after
WITH c.id AS id LIMIT $limit
RETURN max(id) AS bound
