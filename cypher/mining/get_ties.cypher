// KNOWS and REFERRED ties from customers with ids in (after, last], each stored edge once, for graph algorithms.
// params: after, last, types, as_of
// returns: src, dst, type
/* :params {after: "", last: "c-999", types: ["KNOWS", "REFERRED"], as_of: datetime("2026-06-30T00:00:00Z")} */
MATCH (a:Customer)-[r:KNOWS|REFERRED]->(b:Customer)
WHERE a.id > $after AND a.id <= $last AND type(r) IN $types
  AND (CASE type(r) WHEN 'KNOWS' THEN r.since ELSE r.at END IS NULL
       OR CASE type(r) WHEN 'KNOWS' THEN r.since ELSE r.at END <= $as_of)
RETURN a.id AS src, b.id AS dst, type(r) AS type
