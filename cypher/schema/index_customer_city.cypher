// Range index on Customer.city for lookups, filters and search.
// params:
CREATE INDEX customer_city IF NOT EXISTS FOR (n:Customer) ON (n.city)
