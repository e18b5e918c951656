// Upserts manual Tag nodes by key; new ones start as kind MANUAL, status ACTIVE (the tag engine's values).
// params: rows, now
// returns: created, updated, total
/* :params {rows: [{key: "vip", props: {name: "VIP", category: "value", description: "Top accounts"}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
OPTIONAL MATCH (old:Tag {key: row.key})
WITH row, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (t:Tag {key: row.key})
ON CREATE SET t.kind = "MANUAL", t.status = "ACTIVE", t.created_at = $now
SET t += row.props
FOREACH (_ IN CASE WHEN old IS NULL OR changed THEN [1] ELSE [] END | SET t.updated_at = $now)
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
