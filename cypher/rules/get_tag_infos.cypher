// Every tag's key, status and the tags its definition uses, for validating rules and ordering refreshes.
// params:
// returns: key, status, uses
/* :params {} */
MATCH (t:Tag)
RETURN t.key AS key, toUpper(coalesce(t.status, 'ACTIVE')) AS status, coalesce(t.uses, []) AS uses
