// Range index on Customer.created_at for lookups, filters and search.
// params:
CREATE INDEX customer_created_at IF NOT EXISTS FOR (n:Customer) ON (n.created_at)
