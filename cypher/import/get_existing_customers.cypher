// Properties of the Customers of an import batch that exist already, so the importer can tell new, changed and unchanged rows apart.
// The activity digest's properties are nulled in reads (graph/entities.py Entity.projection): a page has no use for them.
// params: rows
// returns: id, props
/* :params {rows: [{id: "c-001"}, {id: "c-001-missing"}]} */
UNWIND $rows AS row
MATCH (n:Customer {id: row.id})
RETURN row.id AS id, n {.*, activity_call: null, activity_email: null, activity_feedback: null, activity_meeting: null, activity_purchase: null, activity_referral: null, activity_support: null, activity_v: null, activity_visit: null} AS props
