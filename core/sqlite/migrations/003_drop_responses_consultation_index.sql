-- Migration 3: responses_created (consultation_id, created_at) serves every lookup responses_consultation
-- did; one index fewer to update on the response hot path.
DROP INDEX responses_consultation;
