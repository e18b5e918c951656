// Tag definitions (kind and status compared upper-cased: imports write them lower-case) filtered by kind, status and category (null means any), ordered by key.
// params: kind, status, category
// returns: tag
/* :params {kind: null, status: "ACTIVE", category: null} */
MATCH (t:Tag)
WHERE ($kind IS NULL OR toUpper(coalesce(t.kind, 'MANUAL')) = $kind)
  AND ($status IS NULL OR toUpper(coalesce(t.status, 'ACTIVE')) = $status)
  AND ($category IS NULL OR t.category = $category)
RETURN t {.*} AS tag
ORDER BY t.key
