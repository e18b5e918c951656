// Upserts Project nodes by id and links each to the Company that owns it (moving the link when it changed).
// params: rows, now
// returns: created, updated, total
/* :params {rows: [{id: "p-001", company_id: "co-001", props: {name: "CRM rollout", company_id: "co-001", stage: "proposal", value: 250000.0}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
OPTIONAL MATCH (old:Project {id: row.id})
WITH row, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (p:Project {id: row.id})
SET p += row.props
FOREACH (_ IN CASE WHEN old IS NULL OR changed THEN [1] ELSE [] END | SET p.updated_at = $now)
WITH row, p, old, changed
OPTIONAL MATCH (other:Company)-[stale:OWNS]->(p)
WHERE row.company_id IS NOT NULL AND other.id <> row.company_id
DELETE stale
WITH DISTINCT row, p, old, changed
// A null id is looked up as '' (no id is empty): the embedded server scans the label for {id: null}.
OPTIONAL MATCH (co:Company {id: coalesce(row.company_id, '')})
FOREACH (_ IN CASE WHEN co IS NULL THEN [] ELSE [1] END | MERGE (co)-[:OWNS]->(p))
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
