// Assign a tag by hand to customers (who, when, why); customers that already hold it manually are unchanged.
// params: key, ids, at, by, reason, expires_at, score, value
// returns: id, changed
/* :params {key: "vip", ids: ["c-1"], at: datetime(), by: "alice", reason: "met at fair", expires_at: null, score: 1.0, value: null} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
MATCH (t:Tag {key: $key})
OPTIONAL MATCH (c)-[old:HAS_TAG]->(t)
WITH c, t, old IS NOT NULL AND old.source = 'manual' AND (old.expires_at IS NULL OR old.expires_at > $at) AS held
MERGE (c)-[r:HAS_TAG]->(t)
FOREACH (_ IN CASE WHEN held THEN [] ELSE [1] END |
  SET r.source = 'manual', r.score = $score, r.value = $value, r.assigned_at = $at, r.expires_at = $expires_at,
      r.assigned_by = $by, r.reason = $reason, r.run_id = null
  CREATE (:TagEvent {entity: 'customer', entity_id: c.id, tag_key: t.key, action: 'add', at: $at, by: $by,
                     reason: $reason, source: 'manual', value: $value, expires_at: $expires_at}))
RETURN c.id AS id, NOT held AS changed
