-- Migration 12: the audit log is sealed with the council's audit key, kept outside the database
-- (townhall/store/audit_key.h): each entry from `sealed_from` on carries an HMAC of its hash,
-- and audit_sealing records which key seals the log and from which entry (sealed itself, so
-- it cannot be moved without the key). Entries written before stay verifiable by their hashes.
ALTER TABLE audit_log ADD COLUMN seal TEXT;
CREATE TABLE audit_sealing(
  singleton INTEGER PRIMARY KEY CHECK(singleton = 1),
  public_key TEXT NOT NULL,
  sealed_from INTEGER NOT NULL,
  sealed_at TEXT NOT NULL,
  seal TEXT NOT NULL);
CREATE TRIGGER audit_sealing_no_update BEFORE UPDATE ON audit_sealing
  BEGIN SELECT RAISE(ABORT, 'audit_sealing is written once'); END;
CREATE TRIGGER audit_sealing_no_delete BEFORE DELETE ON audit_sealing
  BEGIN SELECT RAISE(ABORT, 'audit_sealing is written once'); END;
