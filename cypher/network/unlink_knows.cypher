// Remove the KNOWS relationship between two customers, whichever direction it was stored in.
// params: customer_id, other_id
// returns: removed
/* :params {customer_id: "c-001", other_id: "c-002"} */
MATCH (:Customer {id: $customer_id})-[k:KNOWS]-(:Customer {id: $other_id})
DELETE k
RETURN count(k) AS removed
