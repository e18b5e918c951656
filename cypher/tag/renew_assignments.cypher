// Keep a batch of still-matching assignments: extend expires_at, store the new value ('update' event if it changed) and any new score.
// params: key, rows, at, expires_at, by, run_id
// returns: n
/* :params {key: "spend_365d", rows: [{entity: "customer", id: "c-1", value: 1200.0, changed: true, score: null}], at: datetime(), expires_at: null, by: "cli", run_id: "run-1"} */
UNWIND $rows AS row
OPTIONAL MATCH (c:Customer {id: row.id}) WHERE row.entity = 'customer'
OPTIONAL MATCH (co:Company {id: row.id}) WHERE row.entity = 'company'
WITH row, coalesce(c, co) AS x
WHERE x IS NOT NULL
MATCH (x)-[r:HAS_TAG]->(t:Tag {key: $key})
SET r.value = row.value, r.score = coalesce(row.score, r.score), r.expires_at = $expires_at, r.run_id = $run_id,
    r.refreshed_at = $at
FOREACH (_ IN CASE WHEN row.changed THEN [1] ELSE [] END |
  CREATE (:TagEvent {entity: row.entity, entity_id: row.id, tag_key: $key, action: 'update', at: $at, by: $by,
                     run_id: $run_id, source: r.source, value: row.value, expires_at: $expires_at}))
RETURN count(row) AS n
