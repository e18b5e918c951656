// Baseline for import benchmarks: the plainest UNWIND upsert of customer rows (no checks, no change tracking).
// params: rows
// returns: written
/* :params {rows: [{id: "c-001", props: {name: "王伟", city: "上海"}}]} */
UNWIND $rows AS row
MERGE (c:Customer {id: row.id})
SET c += row.props
RETURN count(*) AS written
