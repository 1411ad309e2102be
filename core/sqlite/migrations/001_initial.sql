-- Migration 1: the original schema.
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK(role IN ('panel_member','officer','governance','admin')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL);
CREATE TABLE people(
  id INTEGER PRIMARY KEY,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE equality_data(
  person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  answers TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE consultations(
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK(status IN ('draft','scheduled','open','closed','outcome_published')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  opens TEXT,
  closes TEXT,
  document TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX consultations_status ON consultations(status, opens);
CREATE TABLE consultation_wards(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  ward TEXT NOT NULL,
  PRIMARY KEY(consultation_id, ward));
CREATE INDEX consultation_wards_ward ON consultation_wards(ward);
CREATE TABLE consultation_topics(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  PRIMARY KEY(consultation_id, topic));
CREATE INDEX consultation_topics_topic ON consultation_topics(topic);
CREATE TABLE questions(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  question_id TEXT NOT NULL,
  type TEXT NOT NULL,
  definition TEXT NOT NULL,
  PRIMARY KEY(consultation_id, question_id));
CREATE TABLE responses(
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  consultation_id TEXT NOT NULL REFERENCES consultations(id),
  channel TEXT NOT NULL,
  person_id INTEGER REFERENCES people(id),
  submitted_by INTEGER REFERENCES users(id),
  entered_by INTEGER REFERENCES users(id),
  answers TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX responses_consultation ON responses(consultation_id);
CREATE TABLE idempotency_keys(
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response_id INTEGER NOT NULL REFERENCES responses(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY(scope, key));
CREATE TABLE key_decisions(
  id TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE notices(
  id INTEGER PRIMARY KEY,
  key_decision_id TEXT NOT NULL REFERENCES key_decisions(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  document TEXT NOT NULL,
  published_on TEXT);
CREATE TABLE audit_log(
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
