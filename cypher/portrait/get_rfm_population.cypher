// RFM inputs of every customer with a purchase up to as_of: last purchase, distinct purchase days, total amount.
// params: as_of
// returns: last_purchase, frequency, monetary
/* :params {as_of: datetime("2025-06-30T00:00:00Z")} */
// Groups by the interaction's customer_id (data model) instead of walking PERFORMED back to the
// customer: 2-3x faster on the embedded server, and only the distribution matters here.
MATCH (i:Interaction)
WHERE i.type = 'purchase' AND i.occurred_at <= $as_of
WITH i.customer_id AS customer_id, max(i.occurred_at) AS last_purchase,
     count(DISTINCT date(i.occurred_at)) AS frequency, sum(coalesce(i.amount, 0.0)) AS monetary
RETURN last_purchase, frequency, monetary
