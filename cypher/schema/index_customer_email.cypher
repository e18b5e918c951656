// Range index on Customer.email for lookups, filters and search.
// params:
CREATE INDEX customer_email IF NOT EXISTS FOR (n:Customer) ON (n.email)
