// Uniqueness of Company.id: upserts MERGE on it and lookups use its index.
// params:
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE
