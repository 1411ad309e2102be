-- Migration 17: an administrator can disable a user (a member of staff who has left) without
-- losing who they were in the audit trail. A disabled user's bearer token and console sessions
-- are refused; NULL means the user is enabled.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
