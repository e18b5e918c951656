// Properties of the HAS_TAG edges of an import batch that exist already (new, changed or unchanged rows).
// params: rows
// returns: customer_id, tag_key, props
/* :params {rows: [{customer_id: "c-001", tag_key: "vip"}]} */
UNWIND $rows AS row
MATCH (:Customer {id: row.customer_id})-[r:HAS_TAG]->(:Tag {key: row.tag_key})
RETURN row.customer_id AS customer_id, row.tag_key AS tag_key, properties(r) AS props
