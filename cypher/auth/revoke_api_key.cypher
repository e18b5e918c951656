// Revokes an API key; revoking twice keeps the first revocation time.
// params: id, at
// returns: key
/* :params {id: "3f9a0c1b2d4e", at: datetime("2026-01-01T00:00:00Z")} */
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, $at)
RETURN k {.id, .name, .role, .scope, .user_id, .created_at, .revoked_at} AS key
