-- Migration 13: the outbox is delivered, not only written. Each email carries where it is on its
-- way (queued, delivered, failed), how many attempts were made, when the next may be (a retry's
-- wait or a worker's lease), what the last failure said and the mail service's reference.
-- Emails written before this migration are queued for delivery now.
ALTER TABLE pages_outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'queued'
  CHECK(state IN ('queued', 'delivered', 'failed'));
ALTER TABLE pages_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pages_outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pages_outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE pages_outbox ADD COLUMN delivered_at TEXT NOT NULL DEFAULT '';
ALTER TABLE pages_outbox ADD COLUMN reference TEXT NOT NULL DEFAULT '';
CREATE INDEX pages_outbox_due ON pages_outbox(next_attempt_at, id) WHERE state = 'queued';
