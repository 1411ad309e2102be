-- Migration 14: staff who sign in to the console with a name and a password. A staff account
-- belongs to a user (officer, governance or admin); its user name and email address are unique in
-- their caseless form (the *_key columns), and only an Argon2id hash of the password is kept.
-- Console sessions keep only the SHA-256 of the browser's secret. Failed sign-ins are counted per
-- account, per name typed and per client address, so any server over this database slows the
-- same guesser down.
CREATE TABLE staff_accounts(
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  username TEXT NOT NULL,
  username_key TEXT NOT NULL UNIQUE,
  email TEXT,
  email_key TEXT UNIQUE,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL);
CREATE TABLE staff_sessions(
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL);
CREATE INDEX staff_sessions_user ON staff_sessions(user_id);
CREATE TABLE sign_in_failures(
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX sign_in_failures_age ON sign_in_failures(last_failure);
