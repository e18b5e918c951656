// Record how many customers held each tag at a time (for tag coverage change).
// params: id, at, total, counts
// returns: id
/* :params {id: "cov-1", at: datetime(), total: 100, counts: "{\"vip\": 3}"} */
CREATE (s:TagCoverageSnapshot {id: $id, at: $at, total: $total, counts: $counts})
RETURN s.id AS id
