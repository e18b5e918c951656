// Ids of customers whose activity digest is missing or of an older version (graph/activity.py backfill).
// params: version, limit
// returns: id
/* :params {version: 1, limit: 5000} */
MATCH (c:Customer)
WHERE c.id IS NOT NULL AND (c.activity_v IS NULL OR c.activity_v <> $version)
RETURN c.id AS id
LIMIT $limit
