// Remove the REFERRED relationship from one customer to another.
// params: referrer_id, referred_id
// returns: removed
/* :params {referrer_id: "c-001", referred_id: "c-002"} */
MATCH (:Customer {id: $referrer_id})-[r:REFERRED]->(:Customer {id: $referred_id})
DELETE r
RETURN count(r) AS removed
