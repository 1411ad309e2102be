// WebSessionStore over PostgreSQL: responses in progress, panel members' sign-in links and
// sessions, email addresses waiting for their link, and the deployment's secrets — all in the
// database, so any server over it can serve any request of a browser.
#include "panel_tables.h"
#include "townhall/access/token.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/util/json_parse.h"

namespace townhall::postgres {

Status PgStore::save_draft(const ResponseDraft& draft) {
  return write("cannot save draft", [&](Tx& tx) -> Status {
    tx.exec("INSERT INTO pages_drafts(key, consultation_id, language, answers, email, updated_at) "
            "VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT(key) DO UPDATE SET consultation_id=excluded.consultation_id, "
            "language=excluded.language, answers=excluded.answers, email=excluded.email, updated_at=excluded.updated_at",
            {draft.key, draft.consultation_id, draft.language, draft.answers.dump(), draft.email, now_rfc3339_utc()});
    return Status::Ok();
  }, on_integrity(not_found("consultation", draft.consultation_id)));
}

Result<ResponseDraft> PgStore::get_draft(const std::string& key) {
  return read("cannot read draft", [&](Tx& tx) -> Result<ResponseDraft> {
    auto q = tx.exec("SELECT consultation_id, language, answers, email, updated_at FROM pages_drafts WHERE key=$1", {key});
    if (q.empty()) return not_found("draft", "(hidden)");
    return ResponseDraft{key, q.str(0, 0), q.str(0, 1), parse_stored_json(q.str(0, 2)), q.str(0, 3), q.str(0, 4)};
  });
}

Status PgStore::delete_draft(const std::string& key) {
  return write("cannot delete draft", [&](Tx& tx) -> Status {
    tx.exec("DELETE FROM pages_drafts WHERE key=$1", {key});
    return Status::Ok();
  });
}

Status PgStore::put_member_token(const MemberToken& t) {
  return write("cannot store sign-in token", [&](Tx& tx) -> Status {
    tx.exec("INSERT INTO pages_member_tokens(kind, hash, member_id, expires_at, created_at) VALUES ($1,$2,$3,$4,$5)",
            {t.kind, t.hash, t.member_id, t.expires_at, now_rfc3339_utc()});
    return Status::Ok();
  }, on_integrity(not_found("panel member", std::to_string(t.member_id))));
}

Result<int64_t> PgStore::member_token(const std::string& kind, const std::string& hash, int64_t now, bool consume) {
  return write("cannot read sign-in token", [&](Tx& tx, bool& keep) -> Result<int64_t> {
    keep = true;  // the purge stands whether or not the token is found
    // Expired links and sessions are not kept (data minimisation), whoever's they are.
    tx.exec("DELETE FROM pages_member_tokens WHERE expires_at <= $1", {now});
    // A link used up by one server is gone for every other: DELETE … RETURNING takes it once.
    auto q = consume ? tx.exec("DELETE FROM pages_member_tokens WHERE kind=$1 AND hash=$2 RETURNING member_id", {kind, hash})
                     : tx.exec("SELECT member_id FROM pages_member_tokens WHERE kind=$1 AND hash=$2", {kind, hash});
    if (q.empty()) return Error{ErrorCode::kNotFound, "", "no such " + kind + " token (or it has expired)"};
    return q.i64(0, 0);
  });
}

Result<int64_t> PgStore::live_member_tokens(const std::string& kind, int64_t member_id, int64_t now) {
  return read("cannot count sign-in tokens", [&](Tx& tx) -> Result<int64_t> {
    return tx.exec("SELECT count(*) FROM pages_member_tokens WHERE kind=$1 AND member_id=$2 AND expires_at > $3",
                   {kind, member_id, now})
        .i64(0, 0);
  });
}

Status PgStore::delete_member_token(const std::string& kind, const std::string& hash) {
  return write("cannot delete sign-in token", [&](Tx& tx) -> Status {
    tx.exec("DELETE FROM pages_member_tokens WHERE kind=$1 AND hash=$2", {kind, hash});
    return Status::Ok();
  });
}

Status PgStore::put_email_confirmation(const EmailConfirmation& c) {
  return write("cannot store email confirmation", [&](Tx& tx) -> Status {
    tx.exec("INSERT INTO panel_email_confirmations(hash, member_id, email, expires_at, created_at) VALUES ($1,$2,$3,$4,$5)",
            {c.hash, c.member_id, c.email, c.expires_at, now_rfc3339_utc()});
    return Status::Ok();
  }, on_integrity(not_found("panel member", std::to_string(c.member_id))));
}

std::optional<EmailConfirmation> PgStore::live_confirmation_locked(Tx& tx, const std::string& hash, int64_t now) {
  tx.exec("DELETE FROM panel_email_confirmations WHERE expires_at <= $1", {now});
  auto q = tx.exec("SELECT member_id, email, expires_at FROM panel_email_confirmations WHERE hash=$1 FOR UPDATE", {hash});
  if (q.empty()) return std::nullopt;
  return EmailConfirmation{hash, q.i64(0, 0), q.str(0, 1), q.i64(0, 2)};
}

Result<EmailConfirmation> PgStore::email_confirmation(const std::string& hash, int64_t now) {
  return write("cannot read email confirmation", [&](Tx& tx, bool& keep) -> Result<EmailConfirmation> {
    keep = true;  // the purge stands whether or not the confirmation is found
    auto c = live_confirmation_locked(tx, hash, now);
    if (!c) return Error{ErrorCode::kNotFound, "", "no such email confirmation (or it has expired)"};
    return *c;
  });
}

Result<panel::Member> PgStore::confirm_email(const std::string& hash, int64_t now, const AuditEvent& audit) {
  const Error taken{ErrorCode::kConflict, "email", "another panel member signs in with this email address"};
  return write(
      "cannot confirm email address",
      [&](Tx& tx, bool& keep) -> Result<panel::Member> {
        // The purge stands, and the link is used up, whatever the outcome.
        keep = true;
        auto c = live_confirmation_locked(tx, hash, now);
        if (!c) return Error{ErrorCode::kNotFound, "", "no such email confirmation (or it has expired)"};
        tx.exec("DELETE FROM panel_email_confirmations WHERE hash=$1", {hash});
        auto key = panel::sign_in_key(c->email);
        auto holder = key ? panel_tables::member_with_sign_in_key(tx, *key) : std::nullopt;
        if (!key || (holder && holder->id != c->member_id)) return taken;
        auto m = panel_tables::member_where(tx, "id", c->member_id, true);
        if (!m) return not_found("panel member", std::to_string(c->member_id));
        m->personal["email"] = c->email;
        tx.exec("UPDATE people SET data=$1 WHERE id=$2", {m->personal.dump(), m->person_id});
        // The unique index on proven addresses decides between two members confirming one
        // address at once on two servers; the loser's whole transaction rolls back.
        tx.exec("UPDATE panel_members SET email_key=$1, email_verified=1 WHERE id=$2", {*key, m->id});
        // Older requests for other addresses are void: the member just chose this one.
        tx.exec("DELETE FROM panel_email_confirmations WHERE member_id=$1", {m->id});
        m->email_verified = true;
        AuditEvent ev = audit;
        ev.subject_kind = "panel_member";
        ev.subject_id = std::to_string(m->id);
        append_audit_locked(tx, ev);
        return *m;
      },
      on_unique(taken));
}

Result<int64_t> PgStore::live_email_confirmations(int64_t member_id, int64_t now) {
  return read("cannot count email confirmations", [&](Tx& tx) -> Result<int64_t> {
    return tx.exec("SELECT count(*) FROM panel_email_confirmations WHERE member_id=$1 AND expires_at > $2",
                   {member_id, now})
        .i64(0, 0);
  });
}

Result<std::string> PgStore::site_secret(const std::string& name) {
  return write("cannot read the site secret", [&](Tx& tx) -> Result<std::string> {
    // Two servers starting at once both insert; the first wins and both read its secret.
    tx.exec("INSERT INTO site_secrets(name, secret, created_at) VALUES ($1,$2,$3) ON CONFLICT(name) DO NOTHING",
            {name, new_bearer_token(), now_rfc3339_utc()});
    return tx.exec("SELECT secret FROM site_secrets WHERE name=$1", {name}).str(0, 0);
  });
}

}  // namespace townhall::postgres
