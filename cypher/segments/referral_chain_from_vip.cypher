// Customers reached down a referral chain of up to max_hops steps from a holder of a tag (e.g. VIPs).
// params: tag:string, max_hops:int, as_of:datetime
// returns: customer_id, referrer_id, hops
/* :params {tag: "vip", max_hops: 3, as_of: datetime()} */
MATCH (v:Customer)-[h:HAS_TAG]->(:Tag {key: $tag})
WHERE (h.expires_at IS NULL OR h.expires_at > $as_of) AND (h.assigned_at IS NULL OR h.assigned_at <= $as_of)
MATCH p = (v)-[:REFERRED*1..3]->(c:Customer)
WHERE length(p) <= $max_hops AND c <> v
WITH c, min(length(p)) AS hops, collect(DISTINCT v.id) AS referrers
RETURN c.id AS customer_id, referrers[0] AS referrer_id, hops
ORDER BY customer_id
