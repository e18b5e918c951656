// Range index on Project.stage for lookups, filters and search.
// params:
CREATE INDEX project_stage IF NOT EXISTS FOR (n:Project) ON (n.stage)
