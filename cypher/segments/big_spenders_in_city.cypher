// Customers in a city whose purchases since a time add up to at least min_spend.
// params: city:string, min_spend:float, since:datetime
// returns: customer_id, spend, purchases
/* :params {city: "Shanghai", min_spend: 500.0, since: datetime("2025-01-01T00:00:00Z")} */
MATCH (c:Customer {city: $city})-[:PERFORMED]->(i:Interaction)
WHERE i.type = 'purchase' AND i.occurred_at >= $since
WITH c, sum(coalesce(i.amount, 0.0)) AS spend, count(i) AS purchases
WHERE spend >= $min_spend
RETURN c.id AS customer_id, spend, purchases
ORDER BY spend DESC, customer_id
