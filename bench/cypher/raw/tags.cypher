// Import floor: the plainest UNWIND upsert of Tag rows.
// params: rows
// returns: written
/* :params {rows: [{key: "vip", props: {name: "VIP", category: "value"}}]} */
UNWIND $rows AS row
MERGE (t:Tag {key: row.key})
SET t += row.props
RETURN count(*) AS written
