// Custom attribute definitions, so rules know each attribute's type.
// params:
// returns: entity, key, type
/* :params {} */
MATCH (d:AttributeDef)
RETURN d.entity AS entity, d.key AS key, d.type AS type
