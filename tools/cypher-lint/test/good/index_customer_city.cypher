// Range index on Customer.city (schema DDL must pass).
// params:
CREATE INDEX customer_city IF NOT EXISTS FOR (n:Customer) ON (n.city)
