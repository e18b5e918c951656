// Stores a new API key: only its hash is kept; the key itself is shown once by the CLI.
// params: id, hash, key_name, role, scope, user_id, at
// returns: key
/* :params {id: "3f9a0c1b2d4e", hash: "9b1f...", key_name: "crm sync", role: "service", scope: "read", user_id: null, at: datetime("2026-01-01T00:00:00Z")} */
CREATE (k:ApiKey {id: $id, hash: $hash, name: $key_name, role: $role, scope: $scope, user_id: $user_id, created_at: $at})
RETURN k {.*} AS key
