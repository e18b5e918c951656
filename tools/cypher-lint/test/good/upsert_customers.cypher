// Upsert a batch of customers by id; `$rows` carries the cleaned CSV rows.
// params: rows:list
// returns: loaded
/* :params {rows: [{id: "c-001", props: {name: "Ada"}}]} */
UNWIND $rows AS row
MERGE (c:Customer {id: row.id})
ON CREATE SET c.created_at = datetime()
SET c += row.props
RETURN count(c) AS loaded
