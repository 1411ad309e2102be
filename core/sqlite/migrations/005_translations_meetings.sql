-- Migration 5: per-language versions of a consultation's content, its events and public
-- meetings, and an index to find a person's responses when their data is erased.
CREATE TABLE consultation_translations(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  lang TEXT NOT NULL,
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY(consultation_id, lang));
CREATE TABLE consultation_meetings(
  id INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  starts TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX consultation_meetings_consultation ON consultation_meetings(consultation_id, starts);
CREATE INDEX responses_person ON responses(person_id) WHERE person_id IS NOT NULL;
-- Idempotency keys clustered on their primary key: one B-tree to search and insert per response
-- instead of a rowid table plus its key index.
CREATE TABLE idempotency_keys_v5(
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response_id INTEGER NOT NULL REFERENCES responses(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY(scope, key)) WITHOUT ROWID;
INSERT INTO idempotency_keys_v5(scope, key, request_hash, response_id, created_at)
  SELECT scope, key, request_hash, response_id, created_at FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_v5 RENAME TO idempotency_keys;
