// The latest tag coverage snapshot taken at or before a time.
// params: at
// returns: id, at, total, counts
/* :params {at: datetime()} */
MATCH (s:TagCoverageSnapshot)
WHERE s.at <= $at
RETURN s.id AS id, s.at AS at, s.total AS total, s.counts AS counts
ORDER BY s.at DESC
LIMIT 1
