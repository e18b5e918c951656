// Writes new or changed Project import rows by id and links each to the Company that owns it (moving the link when it changed);
// updated_at moves for rows whose values changed (touch), not for rows sent only to repair the owner link.
// params: rows, now
// returns: written
/* :params {rows: [{id: "p-001", company_id: "co-001", touch: true, props: {name: "CRM rollout", company_id: "co-001", stage: "proposal", value: 250000.0}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
MERGE (p:Project {id: row.id})
SET p += row.props
FOREACH (_ IN CASE WHEN row.touch THEN [1] ELSE [] END | SET p.updated_at = $now)
WITH row, p
OPTIONAL MATCH (other:Company)-[stale:OWNS]->(p)
WHERE row.company_id IS NOT NULL AND other.id <> row.company_id
DELETE stale
WITH DISTINCT row, p
// A null id is looked up as '' (no id is empty): the embedded server scans the label for {id: null}.
OPTIONAL MATCH (co:Company {id: coalesce(row.company_id, '')})
FOREACH (_ IN CASE WHEN co IS NULL THEN [] ELSE [1] END | MERGE (co)-[:OWNS]->(p))
RETURN count(*) AS written
