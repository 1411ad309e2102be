-- Migration 15: the bank holidays a council imports from the GOV.UK feed, and the days a
-- consultation actually opened and closed.
-- Every import is kept (the latest one is the calendar in use), each as the validated feed in
-- GOV.UK's own format, with the local day it was imported and where it came from.
CREATE TABLE bank_holiday_feeds(
  id INTEGER PRIMARY KEY,
  imported_on TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  source TEXT NOT NULL,
  feed TEXT NOT NULL);
-- When the consultation was opened and closed (RFC 3339 instants), which may differ from the
-- published opens/closes dates; NULL until it happens.
ALTER TABLE consultations ADD COLUMN opened_at TEXT;
ALTER TABLE consultations ADD COLUMN closed_at TEXT;
