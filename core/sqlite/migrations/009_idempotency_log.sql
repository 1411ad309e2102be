-- Migration 9: idempotency keys become an append-only log in rowid order. Each new key was
-- an insert at a random place of the (scope, key) B-tree, about one WAL page per response; now
-- it lands on the table's last page. Lookups go to an index in memory built from this table
-- at open (load_new_keys), and keys older than the retention window are pruned.
CREATE TABLE idempotency_keys_v9(
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response_id INTEGER NOT NULL REFERENCES responses(id),
  created_at TEXT NOT NULL);
INSERT INTO idempotency_keys_v9(scope, key, request_hash, response_id, created_at)
  SELECT scope, key, request_hash, response_id, created_at FROM idempotency_keys ORDER BY created_at, response_id;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_v9 RENAME TO idempotency_keys;
