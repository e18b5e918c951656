// Upserts Customer nodes by id from validated import rows; updated_at moves only when a value changed.
// params: rows, now
// returns: created, updated, total
/* :params {rows: [{id: "c-001", props: {name: "王伟", name_lc: "王伟", email: "wang.wei@example.com", vip_level: 3}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
OPTIONAL MATCH (old:Customer {id: row.id})
WITH row, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (c:Customer {id: row.id})
ON CREATE SET c.created_at = $now
SET c += row.props
FOREACH (_ IN CASE WHEN old IS NULL OR changed THEN [1] ELSE [] END | SET c.updated_at = $now)
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
