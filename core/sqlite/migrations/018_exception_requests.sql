-- Migration 18: requests for a charter exception waiting for the second officer's approval. The
-- officer asking and the officer approving are staff users; the request is about one version of
-- one consultation and one lifecycle step.
CREATE TABLE exception_requests(
  id INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  consultation_version INTEGER NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  approver INTEGER NOT NULL REFERENCES users(id),
  requested_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'declined')),
  decided_at INTEGER,
  CHECK (approver <> requested_by));
CREATE INDEX exception_requests_pending ON exception_requests(approver, state, id);
