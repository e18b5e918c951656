// Writes new or changed Tag import rows by key; new tags are manual and active (the importer leaves unchanged rows out, so updated_at moves only when a value changed).
// params: rows, now
// returns: written
/* :params {rows: [{key: "vip", props: {name: "VIP", category: "value", description: "Top accounts"}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
MERGE (t:Tag {key: row.key})
ON CREATE SET t.kind = "MANUAL", t.status = "ACTIVE", t.created_at = $now
SET t += row.props, t.updated_at = $now
RETURN count(*) AS written
