// GDS is a plugin too.
// params:
RETURN gds.alpha.x() AS x
