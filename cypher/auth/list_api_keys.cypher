// Every API key (never the key, only its metadata), newest first.
// params:
// returns: key
/* :params {} */
MATCH (k:ApiKey)
RETURN k {.id, .name, .role, .scope, .user_id, .created_at, .revoked_at} AS key
ORDER BY k.created_at DESC, k.id
