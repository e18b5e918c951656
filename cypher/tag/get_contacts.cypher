// The current employees of these companies (the contacts of a company tag), as one list.
// params: ids, today
// returns: ids
/* :params {ids: ["co-0001"], today: date("2026-11-01")} */
// The refresh passes the companies its company rule just matched, instead of evaluating that rule again.
UNWIND $ids AS id
MATCH (co:Company {id: id})<-[w:WORKS_AT]-(c:Customer)
WHERE w.until IS NULL OR w.until > $today
RETURN collect(DISTINCT c.id) AS ids
