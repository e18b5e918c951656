// Uniqueness of ApiKey.id: a key's public id finds its hash in one indexed lookup.
// params:
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE
