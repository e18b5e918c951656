// Uniqueness of User.id: account managers' users MERGE on it.
// params:
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE
