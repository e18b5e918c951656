// Ids of the customers holding a tag validly at $at (labels, negatives and lookalike seeds).
// params: key, at
// returns: id
/* :params {key: "vip", at: datetime("2026-06-30T00:00:00Z")} */
MATCH (c:Customer)-[r:HAS_TAG]->(:Tag {key: $key})
WHERE (r.expires_at IS NULL OR r.expires_at > $at) AND (r.assigned_at IS NULL OR r.assigned_at <= $at)
RETURN c.id AS id
ORDER BY id
