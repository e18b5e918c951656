// Interactions with these ids, for the interaction DataLoader.
// params: ids
// returns: id, interaction, attribute_keys
/* :params {ids: ["i-001"]} */
OPTIONAL MATCH (d:AttributeDef {entity: 'interaction'})
WITH collect(d.key) AS attribute_keys
UNWIND $ids AS id
MATCH (i:Interaction {id: id})
RETURN id, i {.*} AS interaction, attribute_keys
