// Mining features of one page of customers (ids after $after, in id order; only $ids when given): profile fields, custom attributes, activity, RFM inputs and network counts.
// params: after, limit, ids, keys, as_of, since_90, since_365, today
// returns: id, created_at, birth_date, gender, source_channel, occupation, country, attributes, interactions, interactions_90d, interactions_365d, first_interaction, last_interaction, last_purchase, frequency, monetary, monetary_365d, knows, referrals_made, referrals_converted, referred_by, projects, employed
/* :params {after: "", limit: 2000, ids: null, keys: ["vip_level"], as_of: datetime("2026-06-30T00:00:00Z"), since_90: datetime("2026-04-01T00:00:00Z"), since_365: datetime("2025-06-30T00:00:00Z"), today: date("2026-06-30")} */
MATCH (c:Customer)
WHERE c.id > $after AND ($ids IS NULL OR c.id IN $ids)
WITH c
ORDER BY c.id
LIMIT $limit
CALL (c) {
  OPTIONAL MATCH (c)-[:PERFORMED]->(i:Interaction)
  WHERE i.occurred_at <= $as_of
  RETURN count(i) AS interactions,
         sum(CASE WHEN i.occurred_at > $since_90 THEN 1 ELSE 0 END) AS interactions_90d,
         sum(CASE WHEN i.occurred_at > $since_365 THEN 1 ELSE 0 END) AS interactions_365d,
         min(i.occurred_at) AS first_interaction,
         max(i.occurred_at) AS last_interaction,
         max(CASE WHEN i.type = 'purchase' THEN i.occurred_at END) AS last_purchase,
         count(DISTINCT CASE WHEN i.type = 'purchase' THEN date(i.occurred_at) END) AS frequency,
         sum(CASE WHEN i.type = 'purchase' THEN coalesce(i.amount, 0.0) ELSE 0.0 END) AS monetary,
         sum(CASE WHEN i.type = 'purchase' AND i.occurred_at > $since_365 THEN coalesce(i.amount, 0.0) ELSE 0.0 END)
           AS monetary_365d
}
RETURN c.id AS id, c.created_at AS created_at, c.birth_date AS birth_date, c.gender AS gender,
       c.source_channel AS source_channel, c.occupation AS occupation, c.country AS country,
       [k IN $keys | c[k]] AS attributes,
       interactions, interactions_90d, interactions_365d, first_interaction, last_interaction, last_purchase,
       frequency, monetary, monetary_365d,
       COUNT { (c)-[k:KNOWS]-(:Customer) WHERE k.since IS NULL OR k.since <= $as_of } AS knows,
       COUNT { (c)-[r:REFERRED]->(:Customer) WHERE r.at IS NULL OR r.at <= $as_of } AS referrals_made,
       COUNT { (c)-[r:REFERRED]->(:Customer) WHERE r.converted = true AND (r.at IS NULL OR r.at <= $as_of) }
         AS referrals_converted,
       COUNT { (c)<-[r:REFERRED]-(:Customer) WHERE r.at IS NULL OR r.at <= $as_of } AS referred_by,
       COUNT { (c)-[:MEMBER_OF]->(:Project) } AS projects,
       COUNT { (c)-[w:WORKS_AT]->(:Company) WHERE w.until IS NULL OR w.until >= $today } AS employed
ORDER BY id
