// Uniqueness of Customer.id (schema DDL must pass).
// params:
CREATE CONSTRAINT customer_id IF NOT EXISTS FOR (n:Customer) REQUIRE n.id IS UNIQUE
