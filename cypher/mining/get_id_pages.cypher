// The last customer id of each page of $size customers in id order, to split work into id ranges.
// params: size
// returns: last
/* :params {size: 5000} */
MATCH (c:Customer)
WITH c.id AS id
ORDER BY id
WITH collect(id) AS ids
UNWIND range(0, size(ids) - 1, $size) AS start
RETURN ids[CASE WHEN start + $size - 1 < size(ids) THEN start + $size - 1 ELSE size(ids) - 1 END] AS last
