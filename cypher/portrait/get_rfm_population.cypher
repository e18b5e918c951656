// RFM inputs of every customer with a purchase up to as_of: last purchase, distinct purchase days, total amount.
// params: as_of
// returns: last_purchase, frequency, monetary
/* :params {as_of: datetime("2025-06-30T00:00:00Z")} */
// Starts from the interaction type index, then walks back to the customer (faster than scanning customers).
MATCH (i:Interaction)
WHERE i.type = 'purchase' AND i.occurred_at <= $as_of
MATCH (c:Customer)-[:PERFORMED]->(i)
WITH c, max(i.occurred_at) AS last_purchase, count(DISTINCT date(i.occurred_at)) AS frequency,
     sum(coalesce(i.amount, 0.0)) AS monetary
RETURN last_purchase, frequency, monetary
