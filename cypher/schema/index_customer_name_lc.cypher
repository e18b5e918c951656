// Range index on Customer.name_lc for lookups, filters and search.
// params:
CREATE INDEX customer_name_lc IF NOT EXISTS FOR (n:Customer) ON (n.name_lc)
