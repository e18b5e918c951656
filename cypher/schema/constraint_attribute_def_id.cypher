// Uniqueness of AttributeDef.id ("<entity>.<key>"): one declared type per custom attribute.
// params:
CREATE CONSTRAINT attribute_def_id IF NOT EXISTS FOR (n:AttributeDef) REQUIRE n.id IS UNIQUE
