// Upserts KNOWS once per unordered pair (stored low id -> high id, matched in either direction).
// params: rows
// returns: created, updated, total
/* :params {rows: [{low_id: "c-001", high_id: "c-002", props: {since: datetime("2024-02-01T00:00:00Z")}}]} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.low_id})
MATCH (b:Customer {id: row.high_id})
OPTIONAL MATCH (a)-[old:KNOWS]-(b)
WITH row, a, b, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (a)-[r:KNOWS]-(b)  // undirected MERGE creates a->b when neither direction exists
SET r += row.props
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
