-- Migration 7: Citizens' Panel membership — members (a person, optionally a
-- panel_member user), their ask-once facts with provenance, and invitations for contact
-- limits. Facts are personal/equality data and stay out of the response tables.
CREATE TABLE panel_members(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL UNIQUE REFERENCES people(id),
  user_id INTEGER UNIQUE REFERENCES users(id),
  external_id TEXT UNIQUE,
  channel TEXT NOT NULL,
  joined_on TEXT NOT NULL,
  fact_consent INTEGER NOT NULL CHECK(fact_consent IN (0, 1)),
  created_at TEXT NOT NULL);
CREATE TABLE panel_facts(
  member_id INTEGER NOT NULL REFERENCES panel_members(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  channel TEXT NOT NULL,
  source TEXT NOT NULL,
  recorded_on TEXT NOT NULL,
  consent INTEGER NOT NULL CHECK(consent IN (0, 1)),
  valid_until TEXT,
  PRIMARY KEY(member_id, key));
CREATE TABLE panel_invitations(
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES panel_members(id) ON DELETE CASCADE,
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  sent_on TEXT NOT NULL,
  UNIQUE(member_id, consultation_id));
CREATE INDEX panel_invitations_sent ON panel_invitations(sent_on);
