-- Migration 16: the rest of the Forward Plan register beside key_decisions — meetings of the
-- executive, urgency reports to full council and scrutiny referrals — each as its JSON document
-- (forward-plan.schema.json), keyed by kind and id (a referral by its decision's id).
CREATE TABLE forward_plan_records(
  kind TEXT NOT NULL CHECK (kind IN ('meeting', 'urgency_report', 'scrutiny_referral')),
  id TEXT NOT NULL,
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY(kind, id));
