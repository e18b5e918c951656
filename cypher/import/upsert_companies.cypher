// Upserts Company nodes by id from validated import rows; updated_at moves only when a value changed.
// params: rows, now
// returns: created, updated, total
/* :params {rows: [{id: "co-001", props: {name: "Acme", name_lc: "acme", industry: "software", employees: 120}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
OPTIONAL MATCH (old:Company {id: row.id})
WITH row, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (co:Company {id: row.id})
ON CREATE SET co.created_at = $now
SET co += row.props
FOREACH (_ IN CASE WHEN old IS NULL OR changed THEN [1] ELSE [] END | SET co.updated_at = $now)
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
