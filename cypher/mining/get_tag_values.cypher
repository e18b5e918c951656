// Values of these tags held validly at $at by customers with ids in (after, last], for statistical-tag features.
// params: keys, after, last, at
// returns: id, key, value, score
/* :params {keys: ["purchases_180d"], after: "", last: "c-999", at: datetime("2026-06-30T00:00:00Z")} */
MATCH (c:Customer)-[r:HAS_TAG]->(t:Tag)
WHERE t.key IN $keys AND c.id > $after AND c.id <= $last
  AND (r.expires_at IS NULL OR r.expires_at > $at) AND (r.assigned_at IS NULL OR r.assigned_at <= $at)
RETURN c.id AS id, t.key AS key, r.value AS value, r.score AS score
