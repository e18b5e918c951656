// Uniqueness of TagRun.id: the refresh run log.
// params:
CREATE CONSTRAINT tag_run_id IF NOT EXISTS FOR (n:TagRun) REQUIRE n.id IS UNIQUE
