// Import floor: the plainest UNWIND upsert of Customer rows (no change tracking, no checks).
// params: rows
// returns: written
/* :params {rows: [{id: "c-001", props: {name: "王伟", city: "上海"}}]} */
UNWIND $rows AS row
MERGE (c:Customer {id: row.id})
SET c += row.props
RETURN count(*) AS written
