// Tag history of one customer or company, oldest first, optionally for one tag and up to a time.
// params: id, key, until
// returns: event
/* :params {id: "c-1", key: null, until: null} */
MATCH (e:TagEvent {entity_id: $id})
WHERE ($key IS NULL OR e.tag_key = $key) AND ($until IS NULL OR e.at <= $until)
RETURN e {.*} AS event
ORDER BY e.at, CASE e.action WHEN 'add' THEN 1 WHEN 'update' THEN 1 ELSE 0 END
