-- Migration 8: panel members' sign-in links and browser sessions on the web pages. Only a
-- SHA-256 of each secret is kept; erasing the member erases them.
CREATE TABLE pages_member_tokens(
  kind TEXT NOT NULL CHECK(kind IN ('sign_in', 'session')),
  hash TEXT NOT NULL,
  member_id INTEGER NOT NULL REFERENCES panel_members(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY(kind, hash)) WITHOUT ROWID;
CREATE INDEX pages_member_tokens_member ON pages_member_tokens(member_id);
