// Records a consent decision (consent_<purpose> and consent_<purpose>_at) and registers both attributes.
// params: id, props, defs, at
// returns: id
/* :params {id: "c-001", props: {consent_marketing: true, consent_marketing_at: datetime("2026-01-01T00:00:00Z")}, defs: [{id: "customer.consent_marketing", key: "consent_marketing", type: "bool"}], at: datetime("2026-01-01T00:00:00Z")} */
MATCH (c:Customer {id: $id})
SET c += $props, c.updated_at = $at
WITH c
UNWIND $defs AS def
MERGE (d:AttributeDef {id: def.id})
ON CREATE SET d.entity = 'customer', d.key = def.key, d.type = def.type, d.personal = false
RETURN DISTINCT c.id AS id
