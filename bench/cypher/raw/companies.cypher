// Import floor: the plainest UNWIND upsert of Company rows (no change tracking, no checks).
// params: rows
// returns: written
/* :params {rows: [{id: "co-001", props: {name: "Acme", industry: "software"}}]} */
UNWIND $rows AS row
MERGE (co:Company {id: row.id})
SET co += row.props
RETURN count(*) AS written
