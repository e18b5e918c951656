// A segment's snapshots, newest first, without their member lists. For an account manager only snapshots that
// stored their members, each counted among the members inside their accounts today (graph/scope.py).
// params: key, limit, scope_company_ids
// returns: snapshot
/* :params {key: "big_spenders", limit: 50, scope_company_ids: null} */
MATCH (s:SegmentSnapshot {segment_key: $key})
WHERE $scope_company_ids IS NULL OR s.members IS NOT NULL
WITH s ORDER BY s.at DESC, s.id DESC LIMIT $limit
RETURN s {.id, .segment_key, .at, has_members: s.members IS NOT NULL,
  count: CASE WHEN $scope_company_ids IS NULL THEN s.count ELSE size([m IN s.members WHERE EXISTS {
    MATCH (:Customer {id: m})-[sw:WORKS_AT]->(sco:Company) WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }]) END
} AS snapshot
ORDER BY s.at DESC, s.id DESC
