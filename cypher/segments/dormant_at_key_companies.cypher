// Dormant accounts at key companies: current employees of companies this large with no interaction since a date.
// params: min_employees:int, dormant_since:datetime, today:date
// returns: customer_id, company_id, company, last_interaction
/* :params {min_employees: 100, dormant_since: datetime("2025-01-01T00:00:00Z"), today: date()} */
MATCH (c:Customer)-[w:WORKS_AT]->(co:Company)
WHERE co.employees >= $min_employees AND (w.until IS NULL OR w.until >= $today)
  AND NOT EXISTS { MATCH (c)-[:PERFORMED]->(i:Interaction) WHERE i.occurred_at >= $dormant_since }
WITH c, co, [(c)-[:PERFORMED]->(i:Interaction) | i.occurred_at] AS times
RETURN c.id AS customer_id, co.id AS company_id, co.name AS company,
  reduce(latest = null, t IN times | CASE WHEN latest IS NULL OR t > latest THEN t ELSE latest END) AS last_interaction
ORDER BY customer_id, company_id
