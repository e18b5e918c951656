// Uniqueness of Customer.id: upserts MERGE on it and lookups use its index.
// params:
CREATE CONSTRAINT customer_id IF NOT EXISTS FOR (n:Customer) REQUIRE n.id IS UNIQUE
