// The most recent refresh runs, newest first.
// params: limit
// returns: run
/* :params {limit: 20} */
MATCH (r:TagRun)
RETURN r {.*} AS run
ORDER BY r.started_at DESC
LIMIT $limit
