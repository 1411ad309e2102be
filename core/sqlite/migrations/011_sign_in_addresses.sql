-- Migration 11: a panel member's sign-in address is unique and proven. email_key is the
-- member's email in comparison form (townhall_email_key: trimmed, ICU case-folded, NFC);
-- email_verified says it is proven (the council's list, or the member pressed a link emailed
-- to it), and only a proven address signs in — one member per address. Addresses waiting
-- for their link are kept apart, as are the deployment's secrets.
--
-- Before this version nothing was unique and the sign-in page took the lowest member id whose email
-- matched ignoring ASCII case. Every address found here keeps its data on every member
-- holding it; its sign-in goes to ONE of them: a member the council entered (imported, or
-- added from paper, phone or an event) before one who joined online — an online join made
-- ahead of the council's import of the same person must not take the address — and among
-- equals the lowest id, the member those sign-ins opened so far. The other holders keep the
-- address as an unproven claim, which signs in nobody until that address is free again.
-- Members who joined online before this version keep signing in with an address that was
-- theirs alone, as they did.
ALTER TABLE panel_members ADD COLUMN email_key TEXT;
ALTER TABLE panel_members ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0 CHECK(email_verified IN (0, 1));
UPDATE panel_members SET email_key =
  (SELECT townhall_email_key(json_extract(p.data, '$.email')) FROM people p WHERE p.id = panel_members.person_id);
UPDATE panel_members SET email_verified = 1 WHERE email_key IS NOT NULL AND id =
  (SELECT m.id FROM panel_members m WHERE m.email_key = panel_members.email_key
   ORDER BY (m.channel = 'online' AND m.external_id IS NULL), m.id LIMIT 1);
CREATE UNIQUE INDEX panel_members_sign_in ON panel_members(email_key) WHERE email_verified = 1;
CREATE TABLE panel_email_confirmations(
  hash TEXT PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES panel_members(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX panel_email_confirmations_member ON panel_email_confirmations(member_id);
CREATE TABLE site_secrets(
  name TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL) WITHOUT ROWID;
