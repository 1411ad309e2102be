-- Migration 6 (SQLite's 19): a consultation's page lists the exceptions asked for it, newest first.
CREATE INDEX exception_requests_consultation ON exception_requests(consultation_id, id);
