// Audit entries, newest first, optionally by actor, action (prefix), target id and time range.
// params: actor, action, target, since, until, limit
// returns: entry
/* :params {actor: null, action: "customer.", target: null, since: null, until: null, limit: 100} */
MATCH (a:AuditEntry)
WHERE ($actor IS NULL OR a.actor = $actor)
  AND ($action IS NULL OR a.action STARTS WITH $action)
  AND ($target IS NULL OR $target IN a.targets)
  AND ($since IS NULL OR a.at >= $since)
  AND ($until IS NULL OR a.at < $until)
RETURN a {.*} AS entry
ORDER BY a.at DESC, a.id DESC
LIMIT $limit
