// Customers who referred at least min_converted customers that converted (advocates for a referral programme).
// params: min_converted:int
// returns: customer_id, converted, referred
/* :params {min_converted: 2} */
MATCH (c:Customer)-[r:REFERRED]->(:Customer)
WITH c, count(r) AS referred, sum(CASE WHEN coalesce(r.converted, false) THEN 1 ELSE 0 END) AS converted
WHERE converted >= $min_converted
RETURN c.id AS customer_id, converted, referred
ORDER BY converted DESC, customer_id
