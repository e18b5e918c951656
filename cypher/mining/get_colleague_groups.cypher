// Current employees of each company with at least two, for COLLEAGUE ties in community detection.
// params: today
// returns: company, members
/* :params {today: date("2026-06-30")} */
MATCH (c:Customer)-[w:WORKS_AT]->(co:Company)
WHERE w.until IS NULL OR w.until >= $today
WITH co, collect(DISTINCT c.id) AS members
WHERE size(members) > 1
RETURN co.id AS company, members
