// Record that one customer referred another (REFERRED), one relationship per pair.
// params: referrer_id, referred_id, at, converted, project_id
// returns: linked
/* :params {referrer_id: "c-001", referred_id: "c-002", at: datetime("2024-01-01T00:00:00Z"), converted: true, project_id: null} */
MATCH (a:Customer {id: $referrer_id}), (b:Customer {id: $referred_id})
MERGE (a)-[r:REFERRED]->(b)
SET r.at = $at, r.converted = $converted, r.project_id = $project_id
RETURN count(r) AS linked
