// Customers whose current company owns an open project (not won or lost) worth at least min_value.
// params: min_value:float, today:date
// returns: customer_id, company_id, open_projects, top_value
/* :params {min_value: 10000.0, today: date()} */
MATCH (c:Customer)-[w:WORKS_AT]->(co:Company)-[:OWNS]->(p:Project)
WHERE (w.until IS NULL OR w.until >= $today) AND NOT coalesce(p.stage, '') IN ['won', 'lost']
  AND p.value >= $min_value
WITH c, co, count(p) AS open_projects, max(p.value) AS top_value
RETURN c.id AS customer_id, co.id AS company_id, open_projects, top_value
ORDER BY customer_id, company_id
