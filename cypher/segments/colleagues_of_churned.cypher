// Current colleagues of customers holding a churn tag, who do not hold it themselves (who to call next).
// params: churn_tag:string, as_of:datetime, today:date
// returns: customer_id, company_id, churned_colleagues
/* :params {churn_tag: "churned", as_of: datetime(), today: date()} */
MATCH (x:Customer)-[h:HAS_TAG]->(:Tag {key: $churn_tag})
WHERE (h.expires_at IS NULL OR h.expires_at > $as_of) AND (h.assigned_at IS NULL OR h.assigned_at <= $as_of)
MATCH (x)-[w1:WORKS_AT]->(co:Company)<-[w2:WORKS_AT]-(c:Customer)
WHERE c <> x AND (w1.until IS NULL OR w1.until >= $today) AND (w2.until IS NULL OR w2.until >= $today)
  AND NOT EXISTS {
    MATCH (c)-[h2:HAS_TAG]->(:Tag {key: $churn_tag})
    WHERE (h2.expires_at IS NULL OR h2.expires_at > $as_of) AND (h2.assigned_at IS NULL OR h2.assigned_at <= $as_of)
  }
WITH c, co, collect(DISTINCT x.id) AS churned
RETURN c.id AS customer_id, co.id AS company_id, churned AS churned_colleagues
ORDER BY customer_id, company_id
