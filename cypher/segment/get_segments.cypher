// Stored segment definitions (all of them when keys is null), by key.
// params: keys
// returns: segment
/* :params {keys: null} */
MATCH (s:Segment)
WHERE $keys IS NULL OR s.key IN $keys
RETURN s {.*} AS segment
ORDER BY s.key
