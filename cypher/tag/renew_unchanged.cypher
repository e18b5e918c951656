// Renew a tag's still-matching, unexpired automatic assignments whose value is unchanged; list every other assignment.
// params: key, customers, companies, customer_values, company_values, at, expires_at, run_id
// returns: renewed_customers, renewed_companies, others
/* :params {key: "purchases_180d", customers: {c1: true}, companies: {}, customer_values: {c1: 3}, company_values: {}, at: datetime("2026-11-01T00:00:00Z"), expires_at: datetime("2026-11-03T00:00:00Z"), run_id: "run-1"} */
// $customers / $companies map the ids that should hold the tag to true; $customer_values / $company_values
// their values when not null. One pass over the tag's edges with map look-ups replaces an id look-up per row,
// and only the renewed ids and the other assignments ([entity, id, source, expired, value]) come back: a
// refresh with nothing to change ships a list of ids instead of every assignment's details.
MATCH (t:Tag {key: $key})<-[r:HAS_TAG]-(x)
WITH r, x, CASE WHEN x:Company THEN 'company' ELSE 'customer' END AS entity,
     coalesce(r.expires_at <= $at, false) AS expired
WITH r, x, entity, expired,
     CASE WHEN entity = 'company' THEN $companies[x.id] ELSE $customers[x.id] END AS holds,
     CASE WHEN entity = 'company' THEN $company_values[x.id] ELSE $customer_values[x.id] END AS value
WITH r, x, entity, expired,
     coalesce(holds, false) AND coalesce(r.source, '') <> 'manual' AND NOT expired
       AND coalesce(r.value = value, r.value IS NULL AND value IS NULL) AS same
FOREACH (_ IN CASE WHEN same THEN [1] ELSE [] END |
  SET r.expires_at = $expires_at, r.run_id = $run_id, r.refreshed_at = $at)
RETURN collect(CASE WHEN same AND entity = 'customer' THEN x.id END) AS renewed_customers,
       collect(CASE WHEN same AND entity = 'company' THEN x.id END) AS renewed_companies,
       collect(CASE WHEN NOT same THEN [entity, x.id, r.source, expired, r.value] END) AS others
