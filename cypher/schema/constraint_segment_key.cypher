// Uniqueness of Segment.key: one saved segment per key.
// params:
CREATE CONSTRAINT segment_key IF NOT EXISTS FOR (n:Segment) REQUIRE n.key IS UNIQUE
