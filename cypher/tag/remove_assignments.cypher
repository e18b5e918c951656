// Remove a batch of assignments that no longer hold ('remove') or have expired ('expire'), keeping a TagEvent each.
// params: key, rows, at, by, run_id
// returns: n
/* :params {key: "vip", rows: [{entity: "customer", id: "c-1", action: "remove"}], at: datetime(), by: "cli", run_id: "run-1"} */
UNWIND $rows AS row
OPTIONAL MATCH (c:Customer {id: row.id}) WHERE row.entity = 'customer'
OPTIONAL MATCH (co:Company {id: row.id}) WHERE row.entity = 'company'
WITH row, coalesce(c, co) AS x
WHERE x IS NOT NULL
MATCH (x)-[r:HAS_TAG]->(t:Tag {key: $key})
CREATE (:TagEvent {entity: row.entity, entity_id: row.id, tag_key: $key, action: row.action, at: $at, by: $by,
                   run_id: $run_id, source: r.source, value: r.value})
DELETE r
RETURN count(row) AS n
