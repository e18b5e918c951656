// Uniqueness of SegmentSnapshot.id: snapshots are read by id for entered/left.
// params:
CREATE CONSTRAINT segment_snapshot_id IF NOT EXISTS FOR (n:SegmentSnapshot) REQUIRE n.id IS UNIQUE
