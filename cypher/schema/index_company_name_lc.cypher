// Range index on Company.name_lc for lookups, filters and search.
// params:
CREATE INDEX company_name_lc IF NOT EXISTS FOR (n:Company) ON (n.name_lc)
