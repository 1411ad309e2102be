-- Migration 6: responses in progress on the web pages, and the email outbox.
CREATE TABLE pages_drafts(
  key TEXT PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  answers TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL);
CREATE TABLE pages_outbox(
  id INTEGER PRIMARY KEY,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL);
