// PanelStore over SQLite: the Citizens' Panel tables (panel_members, panel_facts,
// panel_invitations; personal data stays in people). The panel_tables functions are also used by
// the people and web-session stores, which erase members and prove their addresses.
#include "panel_tables.h"

#include "database.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/util/json_parse.h"

namespace townhall::sqlite {
namespace panel_tables {

namespace {

constexpr const char* kMemberColumns =
    "SELECT m.id, m.person_id, m.user_id, m.external_id, m.channel, m.joined_on, m.fact_consent, p.data, "
    "m.email_verified FROM panel_members m JOIN people p ON p.id = m.person_id";

Date stored_date(const std::string& text) {
  auto d = Date::parse(text);
  return d ? *d : Date();
}

panel::Member row_to_member(SQLite::Statement& q) {
  panel::Member m;
  m.id = q.getColumn(0).getInt64();
  m.person_id = q.getColumn(1).getInt64();
  if (!q.getColumn(2).isNull()) m.user_id = q.getColumn(2).getInt64();
  if (!q.getColumn(3).isNull()) m.external_id = q.getColumn(3).getString();
  m.channel = q.getColumn(4).getString();
  m.joined_on = stored_date(q.getColumn(5).getString());
  m.fact_consent = q.getColumn(6).getInt() != 0;
  m.personal = parse_stored_json(q.getColumn(7).getString());
  m.email_verified = q.getColumn(8).getInt() != 0;
  return m;
}

panel::Fact row_to_fact(SQLite::Statement& q, int first) {
  panel::Fact f;
  f.key = q.getColumn(first).getString();
  f.value = parse_stored_json(q.getColumn(first + 1).getString());
  f.channel = q.getColumn(first + 2).getString();
  f.source = q.getColumn(first + 3).getString();
  f.recorded_on = stored_date(q.getColumn(first + 4).getString());
  f.consent = q.getColumn(first + 5).getInt() != 0;
  if (!q.getColumn(first + 6).isNull()) f.valid_until = stored_date(q.getColumn(first + 6).getString());
  return f;
}

// The comparison key of the email in personal data, if it has one.
std::optional<std::string> email_key_of(const nlohmann::json& personal) {
  auto it = personal.find("email");
  if (it == personal.end() || !it->is_string()) return std::nullopt;
  return panel::sign_in_key(it->get_ref<const std::string&>());
}

int64_t exec_count(SQLite::Database& db, const char* sql, int64_t arg) {
  SQLite::Statement q(db, sql);
  q.bind(1, arg);
  return q.exec();
}

}  // namespace

Result<panel::Member> insert_member(SQLite::Database& db, const panel::NewMember& m, const std::string& now,
                                    const std::string& field_prefix) {
  if (!m.external_id.empty()) {
    SQLite::Statement q(db, "SELECT id FROM panel_members WHERE external_id=?");
    q.bind(1, m.external_id);
    if (q.executeStep()) {
      return Error{ErrorCode::kConflict, field_prefix + "/external_id",
                   "a panel member with id \"" + m.external_id + "\" is already on the panel"};
    }
  }
  const auto key = email_key_of(m.personal);
  const bool verified = m.email_verified && key;
  if (verified && member_with_sign_in_key(db, *key)) {
    return Error{ErrorCode::kConflict, field_prefix + "/email",
                 "another panel member signs in with the email address \"" + m.personal["email"].get<std::string>() + "\""};
  }
  panel::Member out;
  {
    SQLite::Statement q(db, "INSERT INTO people(data, created_at) VALUES (?, ?)");
    q.bind(1, m.personal.dump());
    q.bind(2, now);
    q.exec();
    out.person_id = db.getLastInsertRowid();
  }
  if (!m.user_token_hash.empty()) {
    SQLite::Statement q(db, "INSERT INTO users(name, role, token_hash, created_at) VALUES (?, 'panel_member', ?, ?)");
    // The user's name is not personal data: the audit log (append-only) records it.
    q.bind(1, "panel member (person " + std::to_string(out.person_id) + ")");
    q.bind(2, m.user_token_hash);
    q.bind(3, now);
    q.exec();
    out.user_id = db.getLastInsertRowid();
  }
  SQLite::Statement q(db,
                      "INSERT INTO panel_members(person_id, user_id, external_id, channel, joined_on, fact_consent, "
                      "created_at, email_key, email_verified) VALUES (?,?,?,?,?,?,?,?,?)");
  q.bind(1, out.person_id);
  if (out.user_id) q.bind(2, *out.user_id);
  if (!m.external_id.empty()) q.bind(3, m.external_id);
  q.bind(4, m.channel);
  q.bind(5, m.joined_on.iso());
  q.bind(6, m.fact_consent ? 1 : 0);
  q.bind(7, now);
  if (key) q.bind(8, *key);
  q.bind(9, verified ? 1 : 0);
  q.exec();
  out.id = db.getLastInsertRowid();
  out.email_verified = verified;
  out.external_id = m.external_id;
  out.channel = m.channel;
  out.joined_on = m.joined_on;
  out.fact_consent = m.fact_consent;
  out.personal = m.personal;
  upsert_facts(db, out.id, m.facts);
  return out;
}

std::optional<panel::Member> member_where(SQLite::Database& db, const char* column, int64_t value) {
  SQLite::Statement q(db, std::string(kMemberColumns) + " WHERE m." + column + " = ?");
  q.bind(1, value);
  if (!q.executeStep()) return std::nullopt;
  return row_to_member(q);
}

std::optional<panel::Member> member_with_sign_in_key(SQLite::Database& db, const std::string& key) {
  SQLite::Statement q(db, std::string(kMemberColumns) + " WHERE m.email_key = ? AND m.email_verified = 1");
  q.bind(1, key);
  if (!q.executeStep()) return std::nullopt;
  return row_to_member(q);
}

void email_changed(SQLite::Database& db, int64_t person_id, const nlohmann::json& personal) {
  auto key = email_key_of(personal);
  SQLite::Statement q(db,
                      "UPDATE panel_members SET email_key = ?1, email_verified = 0 "
                      "WHERE person_id = ?2 AND email_key IS NOT ?1");
  if (key) q.bind(1, *key);
  q.bind(2, person_id);
  q.exec();
}

std::vector<panel::Member> all_members(SQLite::Database& db) {
  std::vector<panel::Member> out;
  SQLite::Statement q(db, std::string(kMemberColumns) + " ORDER BY m.id");
  while (q.executeStep()) out.push_back(row_to_member(q));
  return out;
}

std::vector<panel::Fact> facts_of(SQLite::Database& db, int64_t member_id) {
  std::vector<panel::Fact> out;
  SQLite::Statement q(db,
                      "SELECT key, value, channel, source, recorded_on, consent, valid_until FROM panel_facts "
                      "WHERE member_id=? ORDER BY key");
  q.bind(1, member_id);
  while (q.executeStep()) out.push_back(row_to_fact(q, 0));
  return out;
}

std::vector<std::pair<int64_t, std::vector<panel::Fact>>> facts_of_all(SQLite::Database& db) {
  std::vector<std::pair<int64_t, std::vector<panel::Fact>>> out;
  SQLite::Statement q(db,
                      "SELECT m.id, f.key, f.value, f.channel, f.source, f.recorded_on, f.consent, f.valid_until "
                      "FROM panel_members m LEFT JOIN panel_facts f ON f.member_id = m.id ORDER BY m.id, f.key");
  while (q.executeStep()) {
    int64_t id = q.getColumn(0).getInt64();
    if (out.empty() || out.back().first != id) out.emplace_back(id, std::vector<panel::Fact>{});
    if (!q.getColumn(1).isNull()) out.back().second.push_back(row_to_fact(q, 1));
  }
  return out;
}

void upsert_facts(SQLite::Database& db, int64_t member_id, const std::vector<panel::Fact>& facts) {
  SQLite::Statement q(db,
                      "INSERT INTO panel_facts(member_id, key, value, channel, source, recorded_on, consent, "
                      "valid_until) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(member_id, key) DO UPDATE SET "
                      "value=excluded.value, channel=excluded.channel, source=excluded.source, "
                      "recorded_on=excluded.recorded_on, consent=excluded.consent, valid_until=excluded.valid_until");
  for (const auto& f : facts) {
    q.reset();
    q.clearBindings();
    q.bind(1, member_id);
    q.bind(2, f.key);
    q.bind(3, f.value.dump());
    q.bind(4, f.channel);
    q.bind(5, f.source);
    q.bind(6, f.recorded_on.iso());
    q.bind(7, f.consent ? 1 : 0);
    if (f.valid_until) q.bind(8, f.valid_until->iso());
    q.exec();
  }
}

void insert_invitations(SQLite::Database& db, const std::vector<panel::Invitation>& invitations) {
  SQLite::Statement q(db,
                      "INSERT INTO panel_invitations(member_id, consultation_id, sent_on) VALUES (?,?,?) "
                      "ON CONFLICT(member_id, consultation_id) DO NOTHING");
  for (const auto& inv : invitations) {
    q.reset();
    q.bind(1, inv.member_id);
    q.bind(2, inv.consultation_id);
    q.bind(3, inv.sent_on.iso());
    q.exec();
  }
}

std::optional<Error> over_contact_limit(SQLite::Database& db, const std::vector<panel::Invitation>& invitations,
                                        const panel::ContactPolicy& limit) {
  SQLite::Statement repeat(db, "SELECT 1 FROM panel_invitations WHERE member_id=? AND consultation_id=?");
  SQLite::Statement in_window(db, "SELECT count(*) FROM panel_invitations WHERE member_id=? AND sent_on>=? AND sent_on<=?");
  for (const auto& inv : invitations) {
    repeat.reset();
    repeat.bind(1, inv.member_id);
    repeat.bind(2, inv.consultation_id);
    if (repeat.executeStep()) continue;
    in_window.reset();
    in_window.bind(1, inv.member_id);
    in_window.bind(2, limit.window_start(inv.sent_on).iso());
    in_window.bind(3, inv.sent_on.iso());
    in_window.executeStep();
    const int64_t sent = in_window.getColumn(0).getInt64();
    if (sent >= limit.max_invitations) {
      return Error{ErrorCode::kConflict, "member_id",
                   "member " + std::to_string(inv.member_id) + " has had " + std::to_string(sent) +
                       " invitation(s) already; one more would break the contact limit (" + limit.describe() +
                       "); no invitations were recorded"};
    }
  }
  return std::nullopt;
}

std::vector<panel::Invitation> invitations_where(SQLite::Database& db, const std::string& where,
                                                 const std::string& arg) {
  std::vector<panel::Invitation> out;
  SQLite::Statement q(db, "SELECT member_id, consultation_id, sent_on FROM panel_invitations WHERE " + where +
                              " ORDER BY sent_on, id");
  q.bind(1, arg);
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), stored_date(q.getColumn(2).getString())});
  }
  return out;
}

panel::Erasure erase(SQLite::Database& db, const panel::Member& m) {
  panel::Erasure e;
  e.member_id = m.id;
  e.person_id = m.person_id;
  e.facts_erased = exec_count(db, "DELETE FROM panel_facts WHERE member_id=?", m.id);
  e.invitations_erased = exec_count(db, "DELETE FROM panel_invitations WHERE member_id=?", m.id);
  // The answers stay in the results; only the links to the person (and their sign-in) go.
  SQLite::Statement unlink(db,
                           "UPDATE responses SET "
                           "person_id = CASE WHEN person_id = ?1 THEN NULL ELSE person_id END, "
                           "submitted_by = CASE WHEN submitted_by = ?2 THEN NULL ELSE submitted_by END "
                           "WHERE person_id = ?1 OR submitted_by = ?2");
  unlink.bind(1, m.person_id);
  unlink.bind(2, m.user_id.value_or(-1));
  e.responses_unlinked = unlink.exec();
  exec_count(db, "DELETE FROM panel_members WHERE id=?", m.id);
  exec_count(db, "DELETE FROM equality_data WHERE person_id=?", m.person_id);
  exec_count(db, "DELETE FROM people WHERE id=?", m.person_id);
  if (m.user_id) exec_count(db, "DELETE FROM users WHERE id=?", *m.user_id);
  return e;
}

}  // namespace panel_tables

Result<std::vector<panel::Member>> SqliteStore::import_members(const std::vector<panel::NewMember>& members,
                                                               const AuditEvent& audit) {
  return write("cannot add panel members", [&]() -> Result<std::vector<panel::Member>> {
    std::vector<panel::Member> out;
    std::string now = now_rfc3339_utc();
    for (size_t i = 0; i < members.size(); ++i) {
      auto m = panel_tables::insert_member(db_, members[i], now, "/" + std::to_string(i));
      if (!m) return m.error();  // the transaction rolls back: nothing of the batch is kept
      out.push_back(std::move(*m));
    }
    AuditEvent ev = audit;
    if (out.size() == 1) {
      ev.subject_id = std::to_string(out[0].id);
    } else {
      ev.detail["members"] = out.size();
    }
    append_audit_locked(ev);
    return out;
  }, [](const SQLite::Exception& e) -> std::optional<Error> {
    if (e.getExtendedErrorCode() != SQLITE_CONSTRAINT_UNIQUE) return std::nullopt;
    return Error{ErrorCode::kConflict, "", std::string("a member or sign-in token is already on the panel: ") + e.what()};
  });
}

Result<panel::Member> SqliteStore::member_lookup(const char* column, int64_t value) {
  return read("cannot read panel member", [&]() -> Result<panel::Member> {
    auto m = panel_tables::member_where(db_, column, value);
    if (!m) return not_found(std::string("panel member with ") + column, std::to_string(value));
    return *m;
  });
}

Result<panel::Member> SqliteStore::get_member(int64_t member_id) { return member_lookup("id", member_id); }

Result<panel::Member> SqliteStore::member_by_person(int64_t person_id) { return member_lookup("person_id", person_id); }

Result<panel::Member> SqliteStore::member_by_user(int64_t user_id) { return member_lookup("user_id", user_id); }

Result<panel::Member> SqliteStore::member_by_email(const std::string& email) {
  auto key = panel::sign_in_key(email);
  if (!key) return Error{ErrorCode::kNotFound, "email", "no panel member with that email address"};
  return read("cannot find panel member", [&]() -> Result<panel::Member> {
    auto m = panel_tables::member_with_sign_in_key(db_, *key);
    if (!m) return Error{ErrorCode::kNotFound, "email", "no panel member with that email address"};
    return *m;
  });
}

Result<std::vector<panel::Member>> SqliteStore::list_members() {
  return read("cannot list panel members", [&]() -> Result<std::vector<panel::Member>> {
    return panel_tables::all_members(db_);
  });
}

Status SqliteStore::link_member_user(int64_t member_id, int64_t user_id, const AuditEvent& audit) {
  return write("cannot link panel member", [&]() -> Status {
    SQLite::Statement q(db_, "UPDATE panel_members SET user_id=? WHERE id=?");
    q.bind(1, user_id);
    q.bind(2, member_id);
    if (q.exec() == 0) return not_found("panel member", std::to_string(member_id));
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(member_id);
    append_audit_locked(ev);
    return Status::Ok();
  }, on_constraint(Error{ErrorCode::kConflict, "user_id", "user " + std::to_string(user_id) + " is unknown or linked to another member"}));
}

Result<std::vector<panel::Fact>> SqliteStore::member_facts(int64_t member_id) {
  return read("cannot read facts", [&]() -> Result<std::vector<panel::Fact>> {
    if (!panel_tables::member_where(db_, "id", member_id)) return not_found("panel member", std::to_string(member_id));
    return panel_tables::facts_of(db_, member_id);
  });
}

Result<std::vector<std::pair<int64_t, std::vector<panel::Fact>>>> SqliteStore::all_member_facts() {
  return read("cannot read facts", [&]() -> Result<std::vector<std::pair<int64_t, std::vector<panel::Fact>>>> {
    return panel_tables::facts_of_all(db_);
  });
}

Status SqliteStore::record_facts(int64_t member_id, const std::vector<panel::Fact>& facts, const AuditEvent& audit) {
  return write("cannot record facts", [&]() -> Status {
    if (!panel_tables::member_where(db_, "id", member_id)) return not_found("panel member", std::to_string(member_id));
    panel_tables::upsert_facts(db_, member_id, facts);
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(member_id);
    nlohmann::json keys = nlohmann::json::array();  // keys and provenance only: values are personal data
    for (const auto& f : facts) keys.push_back({{"key", f.key}, {"channel", f.channel}, {"source", f.source}});
    ev.detail["facts"] = keys;
    append_audit_locked(ev);
    return Status::Ok();
  });
}

Status SqliteStore::record_invitations(const std::vector<panel::Invitation>& invitations, const panel::ContactPolicy& limit,
                                       const AuditEvent& audit) {
  return write("cannot record invitations", [&]() -> Status {
    if (auto over = panel_tables::over_contact_limit(db_, invitations, limit)) return *over;
    panel_tables::insert_invitations(db_, invitations);
    append_audit_locked(audit);
    return Status::Ok();
  }, [](const SQLite::Exception& e) -> std::optional<Error> {
    if (e.getErrorCode() != SQLITE_CONSTRAINT) return std::nullopt;
    return Error{ErrorCode::kNotFound, "", std::string("unknown member or consultation: ") + e.what()};
  });
}

Result<std::vector<panel::Invitation>> SqliteStore::invitations_since(Date since) {
  return read("cannot read invitations", [&]() -> Result<std::vector<panel::Invitation>> {
    return panel_tables::invitations_where(db_, "sent_on >= ?", since.iso());
  });
}

Result<std::vector<panel::Invitation>> SqliteStore::member_invitations(int64_t member_id) {
  return read("cannot read invitations", [&]() -> Result<std::vector<panel::Invitation>> {
    return panel_tables::invitations_where(db_, "member_id = ?", std::to_string(member_id));
  });
}

Result<panel::Erasure> SqliteStore::erase_member(int64_t member_id, const AuditEvent& audit) {
  return write("cannot erase panel member", [&]() -> Result<panel::Erasure> {
    auto m = panel_tables::member_where(db_, "id", member_id);
    if (!m) return not_found("panel member", std::to_string(member_id));
    panel::Erasure e = panel_tables::erase(db_, *m);
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(member_id);
    ev.detail = e.to_json();
    append_audit_locked(ev);
    return e;
  });
}

}  // namespace townhall::sqlite
