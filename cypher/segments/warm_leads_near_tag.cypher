// Warm leads: customers who know at least min_holders holders of a tag without holding it themselves.
// params: tag:string, min_holders:int, as_of:datetime
// returns: customer_id, holders_known
/* :params {tag: "vip", min_holders: 2, as_of: datetime()} */
MATCH (v:Customer)-[h:HAS_TAG]->(:Tag {key: $tag})
WHERE (h.expires_at IS NULL OR h.expires_at > $as_of) AND (h.assigned_at IS NULL OR h.assigned_at <= $as_of)
MATCH (v)-[:KNOWS]-(c:Customer)
WHERE c <> v AND NOT EXISTS {
  MATCH (c)-[h2:HAS_TAG]->(:Tag {key: $tag})
  WHERE (h2.expires_at IS NULL OR h2.expires_at > $as_of) AND (h2.assigned_at IS NULL OR h2.assigned_at <= $as_of)
}
WITH c, count(DISTINCT v) AS holders_known
WHERE holders_known >= $min_holders
RETURN c.id AS customer_id, holders_known
ORDER BY holders_known DESC, customer_id
