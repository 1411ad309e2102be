-- Migration 2: the audit head (detects deletion of the newest entries) and a response listing index.
CREATE TABLE audit_head(
  singleton INTEGER PRIMARY KEY CHECK(singleton = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL);
INSERT INTO audit_head(singleton, seq, hash)
  SELECT 1, COALESCE(MAX(seq), 0),
         COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '') FROM audit_log;
CREATE INDEX responses_created ON responses(consultation_id, created_at);
