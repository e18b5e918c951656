// RFM inputs of every customer with a purchase up to as_of: last purchase, distinct purchase days, total amount.
// params: as_of
// returns: last_purchase, frequency, monetary
/* :params {as_of: datetime("2025-06-30T00:00:00Z")} */
MATCH (c:Customer)-[:PERFORMED]->(i:Interaction {type: 'purchase'})
WHERE i.occurred_at <= $as_of
WITH c, max(i.occurred_at) AS last_purchase, count(DISTINCT date(i.occurred_at)) AS frequency,
     sum(coalesce(i.amount, 0.0)) AS monetary
RETURN last_purchase, frequency, monetary
