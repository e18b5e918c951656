// One customer's KNOWS, REFERRED and COLLEAGUE ties to other customers, for community explanations.
// params: id, today
// returns: other, type
/* :params {id: "c-1", today: date("2026-06-30")} */
MATCH (c:Customer {id: $id})
CALL (c) {
  MATCH (c)-[r:KNOWS|REFERRED]-(o:Customer)
  RETURN o.id AS other, type(r) AS type
  UNION
  MATCH (c)-[w:WORKS_AT]->(:Company)<-[w2:WORKS_AT]-(o:Customer)
  WHERE (w.until IS NULL OR w.until >= $today) AND (w2.until IS NULL OR w2.until >= $today) AND o <> c
  RETURN o.id AS other, 'COLLEAGUE' AS type
}
RETURN other, type
