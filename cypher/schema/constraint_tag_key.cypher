// Uniqueness of Tag.key: upserts MERGE on it and lookups use its index.
// params:
CREATE CONSTRAINT tag_key IF NOT EXISTS FOR (n:Tag) REQUIRE n.key IS UNIQUE
