// Uniqueness of Project.id: upserts MERGE on it and lookups use its index.
// params:
CREATE CONSTRAINT project_id IF NOT EXISTS FOR (n:Project) REQUIRE n.id IS UNIQUE
