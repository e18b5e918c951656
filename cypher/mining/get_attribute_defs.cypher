// Custom customer attributes that may be used as features (personal ones are left out).
// params:
// returns: key, type
MATCH (d:AttributeDef {entity: 'customer'})
WHERE coalesce(d.personal, false) = false
RETURN d.key AS key, d.type AS type
ORDER BY key
