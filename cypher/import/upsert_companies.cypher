// Writes new or changed Company import rows by id (the importer leaves unchanged rows out, so updated_at moves only when a value changed).
// params: rows, now
// returns: written
/* :params {rows: [{id: "co-001", props: {name: "Acme", name_lc: "acme", industry: "software", employees: 120}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
MERGE (co:Company {id: row.id})
// created_at is written once, with its final value: setting $now first and then the file's value churned
// the created_at index (every new row under the same key) and ran at half the raw UNWIND rate.
ON CREATE SET co.created_at = coalesce(row.props.created_at, $now)
SET co += row.props, co.updated_at = $now
RETURN count(*) AS written
