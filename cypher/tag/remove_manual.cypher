// Remove a tag by hand from customers (who, when, why), keeping a 'remove' TagEvent each.
// params: key, ids, at, by, reason
// returns: id
/* :params {key: "vip", ids: ["c-1"], at: datetime(), by: "alice", reason: "left the programme"} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})-[r:HAS_TAG]->(t:Tag {key: $key})
CREATE (:TagEvent {entity: 'customer', entity_id: c.id, tag_key: t.key, action: 'remove', at: $at, by: $by,
                   reason: $reason, source: r.source, value: r.value})
DELETE r
RETURN c.id AS id
