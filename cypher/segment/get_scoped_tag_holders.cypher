// Every tag with the number of an account manager's customers holding it validly at a time, and the number of their customers.
// params: at, scope_company_ids
// returns: key, name, category, holders, total
/* :params {at: datetime(), scope_company_ids: ["co-001"]} */
// Their customers are the ones currently working at the managed companies (graph/scope.py), found from those
// companies. A null scope means no companies here, never everyone: unscoped callers read get_tag_holders.
CALL () {
  MATCH (sco:Company)<-[sw:WORKS_AT]-(c:Customer)
  WHERE sco.id IN coalesce($scope_company_ids, []) AND sw.until IS NULL
  RETURN collect(DISTINCT c) AS mine
}
MATCH (t:Tag)
CALL (t, mine) {
  UNWIND mine AS c
  MATCH (c)-[h:HAS_TAG]->(t)
  WHERE (h.expires_at IS NULL OR h.expires_at > $at) AND (h.assigned_at IS NULL OR h.assigned_at <= $at)
  RETURN count(DISTINCT c) AS holders
}
RETURN t.key AS key, t.name AS name, t.category AS category, holders, size(mine) AS total
ORDER BY key
