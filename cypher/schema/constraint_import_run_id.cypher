// Uniqueness of ImportRun.id: upserts MERGE on it and lookups use its index.
// params:
CREATE CONSTRAINT import_run_id IF NOT EXISTS FOR (n:ImportRun) REQUIRE n.id IS UNIQUE
