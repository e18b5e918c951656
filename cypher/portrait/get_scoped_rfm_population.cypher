// RFM inputs of an account manager's customers with a purchase up to as_of: last purchase, distinct purchase days, total amount.
// params: as_of, scope_company_ids
// returns: last_purchase, frequency, monetary
/* :params {as_of: datetime("2025-06-30T00:00:00Z"), scope_company_ids: ["co-001"]} */
// The population their customers' RFM scores rank against (graph/portrait.py): the customers currently
// working at the managed companies (graph/scope.py), found from those companies. Unscoped callers read
// get_rfm_population; a null scope here means "no companies", never "everyone".
MATCH (sco:Company)<-[sw:WORKS_AT]-(c:Customer)
WHERE sco.id IN coalesce($scope_company_ids, []) AND sw.until IS NULL
WITH DISTINCT c
MATCH (c)-[:PERFORMED]->(i:Interaction)
WHERE i.type = 'purchase' AND i.occurred_at <= $as_of
WITH c, max(i.occurred_at) AS last_purchase,
     count(DISTINCT date(i.occurred_at)) AS frequency, sum(coalesce(i.amount, 0.0)) AS monetary
RETURN last_purchase, frequency, monetary
