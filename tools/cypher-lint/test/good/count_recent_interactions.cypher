// Per customer, purchases since a cut-off and how many people they know.
// params: ids, since:datetime
// returns: id, purchases, contacts
/* :params {ids: ["c-001"], since: datetime("2025-01-01T00:00:00Z")} */
CYPHER 5
UNWIND $ids AS id
MATCH (c:Customer {id: id})
WHERE c.email IS NOT NULL
CALL (c) {
  MATCH (c)-[:PERFORMED]->(i:Interaction {type: 'purchase'})
  WHERE i.occurred_at >= $since
  RETURN count(i) AS purchases
}
RETURN id, purchases, COUNT { (c)-[:KNOWS]-(:Customer) } AS contacts,
       toLower(coalesce(c.name, '')) AS name_lc
