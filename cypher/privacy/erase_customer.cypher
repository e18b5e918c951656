// Erasure step: replaces a customer by an ErasedCustomer holding only aggregates; its interactions keep
// type, time, amount and project (re-linked, customer_id anonymised), referrals keep time and outcome;
// every other relationship, tag assignment and property goes with the deleted node.
// params: id, anon_id, at
// returns: interactions, amount
/* :params {id: "c-001", anon_id: "erased-5f2b9c", at: datetime("2026-01-01T00:00:00Z")} */
MATCH (c:Customer {id: $id})
OPTIONAL MATCH (c)-[:PERFORMED]->(i:Interaction)
WITH c, collect(i) AS interactions, count(i) AS n, sum(coalesce(i.amount, 0.0)) AS amount
CREATE (e:ErasedCustomer {id: $anon_id, erased_at: $at, interaction_count: n, interaction_amount: amount})
FOREACH (i IN interactions |
  SET i = {id: i.id, type: i.type, occurred_at: i.occurred_at, amount: i.amount, project_id: i.project_id,
           customer_id: $anon_id}
  CREATE (e)-[:PERFORMED]->(i))
WITH c, e, n, amount
CALL (c, e) {
  OPTIONAL MATCH (c)-[r:REFERRED]->(o:Customer)
  FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | CREATE (e)-[:REFERRED {at: r.at, converted: r.converted}]->(o))
}
CALL (c, e) {
  OPTIONAL MATCH (o:Customer)-[r:REFERRED]->(c)
  FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | CREATE (o)-[:REFERRED {at: r.at, converted: r.converted}]->(e))
}
DETACH DELETE c
RETURN n AS interactions, amount
