// WebSessionStore over SQLite: responses in progress, panel members' sign-in
// links and sessions, email addresses waiting for their link, and the deployment's secrets.
#include "database.h"
#include "panel_tables.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/access/token.h"
#include "townhall/util/json_parse.h"

namespace townhall::sqlite {

Status SqliteStore::save_draft(const ResponseDraft& draft) {
  return write("cannot save draft", [&]() -> Status {
    auto q = prepared(
        "INSERT INTO pages_drafts(key, consultation_id, language, answers, email, updated_at) "
        "VALUES (?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET consultation_id=excluded.consultation_id, "
        "language=excluded.language, answers=excluded.answers, email=excluded.email, "
        "updated_at=excluded.updated_at");
    q->bind(1, draft.key);
    q->bind(2, draft.consultation_id);
    q->bind(3, draft.language);
    q->bind(4, draft.answers.dump());
    q->bind(5, draft.email);
    q->bind(6, now_rfc3339_utc());
    q->exec();
    return Status::Ok();
  }, on_constraint(not_found("consultation", draft.consultation_id)));
}

Result<ResponseDraft> SqliteStore::get_draft(const std::string& key) {
  return read("cannot read draft", [&]() -> Result<ResponseDraft> {
    auto q = prepared("SELECT consultation_id, language, answers, email, updated_at FROM pages_drafts WHERE key=?");
    q->bind(1, key);
    if (!q->executeStep()) return not_found("draft", "(hidden)");
    return ResponseDraft{key, q->getColumn(0).getString(), q->getColumn(1).getString(),
                         parse_stored_json(q->getColumn(2).getString()), q->getColumn(3).getString(),
                         q->getColumn(4).getString()};
  });
}

Status SqliteStore::delete_draft(const std::string& key) {
  return write("cannot delete draft", [&]() -> Status {
    SQLite::Statement q(db_, "DELETE FROM pages_drafts WHERE key=?");
    q.bind(1, key);
    q.exec();
    return Status::Ok();
  });
}

Status SqliteStore::put_member_token(const MemberToken& t) {
  return write("cannot store sign-in token", [&]() -> Status {
    SQLite::Statement q(db_, "INSERT INTO pages_member_tokens(kind, hash, member_id, expires_at, created_at) VALUES (?,?,?,?,?)");
    q.bind(1, t.kind);
    q.bind(2, t.hash);
    q.bind(3, t.member_id);
    q.bind(4, t.expires_at);
    q.bind(5, now_rfc3339_utc());
    q.exec();
    return Status::Ok();
  }, on_constraint(not_found("panel member", std::to_string(t.member_id))));
}

Result<int64_t> SqliteStore::member_token(const std::string& kind, const std::string& hash, int64_t now, bool consume) {
  return write("cannot read sign-in token", [&](bool& keep) -> Result<int64_t> {
    keep = true;  // the purge stands whether or not the token is found
    // Expired links and sessions are not kept (data minimisation), whoever's they are.
    SQLite::Statement purge(db_, "DELETE FROM pages_member_tokens WHERE expires_at <= ?");
    purge.bind(1, now);
    purge.exec();
    SQLite::Statement q(db_, "SELECT member_id, expires_at FROM pages_member_tokens WHERE kind=? AND hash=?");
    q.bind(1, kind);
    q.bind(2, hash);
    if (!q.executeStep()) return Error{ErrorCode::kNotFound, "", "no such " + kind + " token (or it has expired)"};
    int64_t member_id = q.getColumn(0).getInt64();
    q.reset();
    if (consume) {
      SQLite::Statement del(db_, "DELETE FROM pages_member_tokens WHERE kind=? AND hash=?");
      del.bind(1, kind);
      del.bind(2, hash);
      del.exec();
    }
    return member_id;
  });
}

Result<int64_t> SqliteStore::live_member_tokens(const std::string& kind, int64_t member_id, int64_t now) {
  return read("cannot count sign-in tokens", [&]() -> Result<int64_t> {
    SQLite::Statement q(db_, "SELECT count(*) FROM pages_member_tokens WHERE kind=? AND member_id=? AND expires_at > ?");
    q.bind(1, kind);
    q.bind(2, member_id);
    q.bind(3, now);
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

Status SqliteStore::delete_member_token(const std::string& kind, const std::string& hash) {
  return write("cannot delete sign-in token", [&]() -> Status {
    SQLite::Statement q(db_, "DELETE FROM pages_member_tokens WHERE kind=? AND hash=?");
    q.bind(1, kind);
    q.bind(2, hash);
    q.exec();
    return Status::Ok();
  });
}

Status SqliteStore::put_email_confirmation(const EmailConfirmation& c) {
  return write("cannot store email confirmation", [&]() -> Status {
    SQLite::Statement q(db_,
                        "INSERT INTO panel_email_confirmations(hash, member_id, email, expires_at, created_at) "
                        "VALUES (?,?,?,?,?)");
    q.bind(1, c.hash);
    q.bind(2, c.member_id);
    q.bind(3, c.email);
    q.bind(4, c.expires_at);
    q.bind(5, now_rfc3339_utc());
    q.exec();
    return Status::Ok();
  }, on_constraint(not_found("panel member", std::to_string(c.member_id))));
}

// The live confirmation with this hash, after deleting every expired one; the caller holds mu_
// inside a transaction.
std::optional<EmailConfirmation> SqliteStore::live_confirmation_locked(const std::string& hash, int64_t now) {
  SQLite::Statement purge(db_, "DELETE FROM panel_email_confirmations WHERE expires_at <= ?");
  purge.bind(1, now);
  purge.exec();
  SQLite::Statement q(db_, "SELECT member_id, email, expires_at FROM panel_email_confirmations WHERE hash=?");
  q.bind(1, hash);
  if (!q.executeStep()) return std::nullopt;
  return EmailConfirmation{hash, q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64()};
}

Result<EmailConfirmation> SqliteStore::email_confirmation(const std::string& hash, int64_t now) {
  return write("cannot read email confirmation", [&](bool& keep) -> Result<EmailConfirmation> {
    keep = true;  // the purge stands whether or not the confirmation is found
    auto c = live_confirmation_locked(hash, now);
    if (!c) return Error{ErrorCode::kNotFound, "", "no such email confirmation (or it has expired)"};
    return *c;
  });
}

Result<panel::Member> SqliteStore::confirm_email(const std::string& hash, int64_t now, const AuditEvent& audit) {
  const Error taken{ErrorCode::kConflict, "email", "another panel member signs in with this email address"};
  return write(
      "cannot confirm email address",
      [&](bool& keep) -> Result<panel::Member> {
    // The purge stands, and the link is used up, whatever the outcome.
    keep = true;
    auto c = live_confirmation_locked(hash, now);
    if (!c) return Error{ErrorCode::kNotFound, "", "no such email confirmation (or it has expired)"};
    SQLite::Statement used(db_, "DELETE FROM panel_email_confirmations WHERE hash=?");
    used.bind(1, hash);
    used.exec();
    auto key = panel::sign_in_key(c->email);
    auto holder = key ? panel_tables::member_with_sign_in_key(db_, *key) : std::nullopt;
    if (!key || (holder && holder->id != c->member_id)) return taken;
    auto m = panel_tables::member_where(db_, "id", c->member_id);
    if (!m) return not_found("panel member", std::to_string(c->member_id));
    m->personal["email"] = c->email;
    SQLite::Statement person(db_, "UPDATE people SET data=? WHERE id=?");
    person.bind(1, m->personal.dump());
    person.bind(2, m->person_id);
    person.exec();
    SQLite::Statement member(db_, "UPDATE panel_members SET email_key=?, email_verified=1 WHERE id=?");
    member.bind(1, *key);
    member.bind(2, m->id);
    member.exec();
    // Older requests for other addresses are void: the member just chose this one.
    SQLite::Statement others(db_, "DELETE FROM panel_email_confirmations WHERE member_id=?");
    others.bind(1, m->id);
    others.exec();
    m->email_verified = true;
    AuditEvent ev = audit;
    ev.subject_kind = "panel_member";
    ev.subject_id = std::to_string(m->id);
    append_audit_locked(ev);
    return *m;
      },
      on_unique(taken));
}

Result<int64_t> SqliteStore::live_email_confirmations(int64_t member_id, int64_t now) {
  return read("cannot count email confirmations", [&]() -> Result<int64_t> {
    SQLite::Statement q(db_, "SELECT count(*) FROM panel_email_confirmations WHERE member_id=? AND expires_at > ?");
    q.bind(1, member_id);
    q.bind(2, now);
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

Result<std::string> SqliteStore::site_secret(const std::string& name) {
  return write("cannot read the site secret", [&]() -> Result<std::string> {
    SQLite::Statement ins(db_, "INSERT INTO site_secrets(name, secret, created_at) VALUES (?,?,?) ON CONFLICT(name) DO NOTHING");
    ins.bind(1, name);
    ins.bind(2, new_bearer_token());
    ins.bind(3, now_rfc3339_utc());
    ins.exec();
    SQLite::Statement q(db_, "SELECT secret FROM site_secrets WHERE name=?");
    q.bind(1, name);
    q.executeStep();
    std::string secret = q.getColumn(0).getString();
    return secret;
  });
}

}  // namespace townhall::sqlite
