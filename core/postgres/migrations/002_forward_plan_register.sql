-- Migration 2 (SQLite's 16): the rest of the Forward Plan register beside key_decisions —
-- meetings of the executive, urgency reports to full council and scrutiny referrals — each as its
-- JSON document, keyed by kind and id (a referral by its decision's id).
CREATE TABLE forward_plan_records(
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('meeting', 'urgency_report', 'scrutiny_referral')),
  id TEXT COLLATE "C" NOT NULL,
  document TEXT NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(kind, id));
