// Retire a tag: mark it RETIRED and remove every assignment, keeping a 'remove' TagEvent for each.
// params: key, at, by, reason
// returns: tag, removed
/* :params {key: "vip", at: datetime(), by: "alice", reason: "no longer used"} */
MATCH (t:Tag {key: $key})
SET t.status = 'RETIRED', t.updated_at = $at, t.updated_by = $by
WITH t
OPTIONAL MATCH (x)-[r:HAS_TAG]->(t)
FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END |
  CREATE (:TagEvent {entity: CASE WHEN x:Company THEN 'company' ELSE 'customer' END, entity_id: x.id,
                     tag_key: t.key, action: 'remove', at: $at, by: $by, reason: $reason,
                     source: r.source, value: r.value}))
DELETE r
RETURN t {.*} AS tag, count(r) AS removed
