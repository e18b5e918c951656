// APOC functions are out too.
// params: names
RETURN apoc.text.join($names, ', ') AS joined
