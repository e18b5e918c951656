// Every current assignment of one tag (customers and companies), for a refresh to diff against, as one list.
// params: key, at
// returns: rows
/* :params {key: "important_customer", at: datetime("2026-11-01T00:00:00Z")} */
// One row holding [entity, id, source, expired at $at, value] per assignment: streaming a row per
// assignment costs several times more on the embedded server, and an expiry time per row more again.
MATCH (t:Tag {key: $key})<-[r:HAS_TAG]-(x)
RETURN collect([CASE WHEN x:Company THEN 'company' ELSE 'customer' END, x.id, r.source,
                r.expires_at IS NOT NULL AND r.expires_at <= $at, r.value]) AS rows
