// Assign a tag to a batch of customers/companies for a refresh run, with an 'add' TagEvent each.
// params: key, rows, source, at, expires_at, by, run_id
// returns: n
/* :params {key: "vip", rows: [{entity: "customer", id: "c-1", score: 1.0, value: null}], source: "rule", at: datetime(), expires_at: null, by: "cli", run_id: "run-1"} */
UNWIND $rows AS row
OPTIONAL MATCH (c:Customer {id: row.id}) WHERE row.entity = 'customer'
OPTIONAL MATCH (co:Company {id: row.id}) WHERE row.entity = 'company'
WITH row, coalesce(c, co) AS x
WHERE x IS NOT NULL
MATCH (t:Tag {key: $key})
MERGE (x)-[r:HAS_TAG]->(t)
SET r.source = $source, r.score = row.score, r.value = row.value, r.assigned_at = $at,
    r.expires_at = $expires_at, r.assigned_by = $by, r.run_id = $run_id, r.refreshed_at = $at, r.reason = null
CREATE (:TagEvent {entity: row.entity, entity_id: row.id, tag_key: $key, action: 'add', at: $at, by: $by,
                   run_id: $run_id, source: $source, value: row.value, expires_at: $expires_at})
RETURN count(row) AS n
