// Range index on SegmentSnapshot.segment_key: a segment's size history.
// params:
CREATE INDEX segment_snapshot_key IF NOT EXISTS FOR (n:SegmentSnapshot) ON (n.segment_key)
