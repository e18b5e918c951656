// Writes new or changed Customer import rows by id (the importer leaves unchanged rows out, so updated_at moves only when a value changed).
// params: rows, now
// returns: written
/* :params {rows: [{id: "c-001", props: {name: "王伟", name_lc: "王伟", email: "wang.wei@example.com", vip_level: 3}}], now: datetime("2026-01-01T00:00:00Z")} */
UNWIND $rows AS row
MERGE (c:Customer {id: row.id})
// created_at is written once, with its final value: setting $now first and then the file's value churned
// the created_at index (every new row under the same key) and ran at half the raw UNWIND rate.
ON CREATE SET c.created_at = coalesce(row.props.created_at, $now)
SET c += row.props, c.updated_at = $now
RETURN count(*) AS written
