// Create or update one company by id; only the given properties change (null removes one).
// params: id, props, now
// returns: company
/* :params {id: "co-001", props: {name: "Acme", name_lc: "acme", employees: 120}, now: datetime("2025-01-01T00:00:00Z")} */
MERGE (co:Company {id: $id})
ON CREATE SET co.created_at = $now
SET co += $props, co.updated_at = $now
RETURN co {.*} AS company
