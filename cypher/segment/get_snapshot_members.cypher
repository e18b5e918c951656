// One snapshot with its member ids (null when the snapshot stored only the count). For an account manager only a
// snapshot that stored its members, with the members inside their accounts today and their count (graph/scope.py).
// params: id, scope_company_ids
// returns: snapshot, members
/* :params {id: "snap-1", scope_company_ids: null} */
MATCH (s:SegmentSnapshot {id: $id})
WHERE $scope_company_ids IS NULL OR s.members IS NOT NULL
WITH s, CASE WHEN $scope_company_ids IS NULL THEN s.members ELSE [m IN s.members WHERE EXISTS {
    MATCH (:Customer {id: m})-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }] END AS members
RETURN s {.id, .segment_key, .at, has_members: s.members IS NOT NULL,
  count: CASE WHEN $scope_company_ids IS NULL THEN s.count ELSE size(members) END} AS snapshot, members
