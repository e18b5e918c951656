// Set a tag's kind (only used when the catalogue upgrades an imported manual placeholder).
// params: key, kind
// returns: key
/* :params {key: "key_account", kind: "RULE"} */
MATCH (t:Tag {key: $key})
SET t.kind = $kind
RETURN t.key AS key
