// Groups of customers sharing a normalised (E.164) phone: probable duplicates to report or merge.
// params:
// returns: ids
/* :params {} */
MATCH (c:Customer)
WHERE c.phone IS NOT NULL
WITH c.phone AS phone, collect(c.id) AS ids
WHERE size(ids) > 1
RETURN ids
