// Range index on Customer.phone for lookups, filters and search.
// params:
CREATE INDEX customer_phone IF NOT EXISTS FOR (n:Customer) ON (n.phone)
