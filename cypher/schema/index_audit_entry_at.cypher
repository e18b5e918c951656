// Range index on AuditEntry.at: admins read the audit log by time.
// params:
CREATE INDEX audit_entry_at IF NOT EXISTS FOR (n:AuditEntry) ON (n.at)
