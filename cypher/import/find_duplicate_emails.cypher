// Groups of customers sharing a normalised email: probable duplicates to report or merge.
// params:
// returns: ids
/* :params {} */
MATCH (c:Customer)
WHERE c.email IS NOT NULL
WITH c.email AS email, collect(c.id) AS ids
WHERE size(ids) > 1
RETURN ids
