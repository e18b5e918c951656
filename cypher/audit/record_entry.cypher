// Appends one audit entry: who did what to which ids, how many rows, with what outcome (never values).
// params: entry
// returns: id
/* :params {entry: {id: "a-1", at: datetime("2026-01-01T00:00:00Z"), actor: "key:3f9a0c1b2d4e", role: "admin", action: "key.create", targets: ["3f9a0c1b2d4e"], rows: 1, outcome: "ok"}} */
CREATE (a:AuditEntry)
SET a = $entry
RETURN a.id AS id
