// PanelStore over PostgreSQL: the Citizens' Panel tables (panel_members, panel_facts,
// panel_invitations; personal data stays in people). The panel_tables functions are also used by
// the people and web-session stores. Contact limits are checked with the members' rows locked, so
// two servers inviting the same member at once cannot both pass the limit.
#include "panel_tables.h"

#include <algorithm>

#include "townhall/panel/sign_in_email.h"
#include "townhall/util/json_parse.h"

namespace townhall::postgres {
namespace panel_tables {

Date stored_date(const std::string& text) {
  auto d = Date::parse(text);
  return d ? *d : Date();
}

namespace {

constexpr const char* kMemberColumns =
    "SELECT m.id, m.person_id, m.user_id, m.external_id, m.channel, m.joined_on, m.fact_consent, p.data, "
    "m.email_verified FROM panel_members m JOIN people p ON p.id = m.person_id";

panel::Member row_to_member(const pq::Rows& q, int i) {
  panel::Member m;
  m.id = q.i64(i, 0);
  m.person_id = q.i64(i, 1);
  if (!q.null(i, 2)) m.user_id = q.i64(i, 2);
  if (!q.null(i, 3)) m.external_id = q.str(i, 3);
  m.channel = q.str(i, 4);
  m.joined_on = stored_date(q.str(i, 5));
  m.fact_consent = q.i64(i, 6) != 0;
  m.personal = parse_stored_json(q.str(i, 7));
  m.email_verified = q.i64(i, 8) != 0;
  return m;
}

panel::Fact row_to_fact(const pq::Rows& q, int i, int first) {
  panel::Fact f;
  f.key = q.str(i, first);
  f.value = parse_stored_json(q.str(i, first + 1));
  f.channel = q.str(i, first + 2);
  f.source = q.str(i, first + 3);
  f.recorded_on = stored_date(q.str(i, first + 4));
  f.consent = q.i64(i, first + 5) != 0;
  if (!q.null(i, first + 6)) f.valid_until = stored_date(q.str(i, first + 6));
  return f;
}

std::optional<std::string> email_key_of(const nlohmann::json& personal) {
  auto it = personal.find("email");
  if (it == personal.end() || !it->is_string()) return std::nullopt;
  return panel::sign_in_key(it->get_ref<const std::string&>());
}

}  // namespace

Result<panel::Member> insert_member(Tx& tx, const panel::NewMember& m, const std::string& now,
                                    const std::string& field_prefix) {
  if (!m.external_id.empty() && !tx.exec("SELECT id FROM panel_members WHERE external_id=$1", {m.external_id}).empty()) {
    return Error{ErrorCode::kConflict, field_prefix + "/external_id",
                 "a panel member with id \"" + m.external_id + "\" is already on the panel"};
  }
  const auto key = email_key_of(m.personal);
  const bool verified = m.email_verified && key;
  if (verified && member_with_sign_in_key(tx, *key)) {
    return Error{ErrorCode::kConflict, field_prefix + "/email",
                 "another panel member signs in with the email address \"" + m.personal["email"].get<std::string>() + "\""};
  }
  panel::Member out;
  out.person_id = tx.exec("INSERT INTO people(data, created_at) VALUES ($1, $2) RETURNING id", {m.personal.dump(), now})
                      .i64(0, 0);
  if (!m.user_token_hash.empty()) {
    // The user's name is not personal data: the audit log (append-only) records it.
    out.user_id = tx.exec("INSERT INTO users(name, role, token_hash, created_at) VALUES ($1, 'panel_member', $2, $3) "
                          "RETURNING id",
                          {"panel member (person " + std::to_string(out.person_id) + ")", m.user_token_hash, now})
                      .i64(0, 0);
  }
  out.id = tx.exec("INSERT INTO panel_members(person_id, user_id, external_id, channel, joined_on, fact_consent, "
                   "created_at, email_key, email_verified) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
                   {out.person_id, out.user_id, m.external_id.empty() ? pq::Param(nullptr) : pq::Param(m.external_id),
                    m.channel, m.joined_on.iso(), m.fact_consent ? 1 : 0, now, key, verified ? 1 : 0})
               .i64(0, 0);
  out.email_verified = verified;
  out.external_id = m.external_id;
  out.channel = m.channel;
  out.joined_on = m.joined_on;
  out.fact_consent = m.fact_consent;
  out.personal = m.personal;
  upsert_facts(tx, out.id, m.facts);
  return out;
}

std::optional<panel::Member> member_where(Tx& tx, const char* column, int64_t value, bool lock) {
  auto q = tx.exec(std::string(kMemberColumns) + " WHERE m." + column + " = $1" + (lock ? " FOR UPDATE OF m" : ""),
                   {value});
  if (q.empty()) return std::nullopt;
  return row_to_member(q, 0);
}

std::optional<panel::Member> member_with_sign_in_key(Tx& tx, const std::string& key) {
  auto q = tx.exec(std::string(kMemberColumns) + " WHERE m.email_key = $1 AND m.email_verified = 1", {key});
  if (q.empty()) return std::nullopt;
  return row_to_member(q, 0);
}

void email_changed(Tx& tx, int64_t person_id, const nlohmann::json& personal) {
  tx.exec("UPDATE panel_members SET email_key = $1, email_verified = 0 "
          "WHERE person_id = $2 AND email_key IS DISTINCT FROM $1",
          {email_key_of(personal), person_id});
}

std::vector<panel::Member> all_members(Tx& tx) {
  std::vector<panel::Member> out;
  auto q = tx.exec(std::string(kMemberColumns) + " ORDER BY m.id");
  for (int i = 0; i < q.size(); ++i) out.push_back(row_to_member(q, i));
  return out;
}

std::vector<panel::Fact> facts_of(Tx& tx, int64_t member_id) {
  std::vector<panel::Fact> out;
  auto q = tx.exec("SELECT key, value, channel, source, recorded_on, consent, valid_until FROM panel_facts "
                   "WHERE member_id=$1 ORDER BY key",
                   {member_id});
  for (int i = 0; i < q.size(); ++i) out.push_back(row_to_fact(q, i, 0));
  return out;
}

std::vector<std::pair<int64_t, std::vector<panel::Fact>>> facts_of_all(Tx& tx) {
  std::vector<std::pair<int64_t, std::vector<panel::Fact>>> out;
  auto q = tx.exec("SELECT m.id, f.key, f.value, f.channel, f.source, f.recorded_on, f.consent, f.valid_until "
                   "FROM panel_members m LEFT JOIN panel_facts f ON f.member_id = m.id ORDER BY m.id, f.key");
  for (int i = 0; i < q.size(); ++i) {
    int64_t id = q.i64(i, 0);
    if (out.empty() || out.back().first != id) out.emplace_back(id, std::vector<panel::Fact>{});
    if (!q.null(i, 1)) out.back().second.push_back(row_to_fact(q, i, 1));
  }
  return out;
}

void upsert_facts(Tx& tx, int64_t member_id, const std::vector<panel::Fact>& facts) {
  for (const auto& f : facts) {
    tx.exec("INSERT INTO panel_facts(member_id, key, value, channel, source, recorded_on, consent, valid_until) "
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT(member_id, key) DO UPDATE SET value=excluded.value, "
            "channel=excluded.channel, source=excluded.source, recorded_on=excluded.recorded_on, "
            "consent=excluded.consent, valid_until=excluded.valid_until",
            {member_id, f.key, f.value.dump(), f.channel, f.source, f.recorded_on.iso(), f.consent ? 1 : 0,
             f.valid_until ? pq::Param(f.valid_until->iso()) : pq::Param(nullptr)});
  }
}

panel::Erasure erase(Tx& tx, const panel::Member& m) {
  panel::Erasure e;
  e.member_id = m.id;
  e.person_id = m.person_id;
  e.facts_erased = tx.exec("DELETE FROM panel_facts WHERE member_id=$1", {m.id}).affected();
  e.invitations_erased = tx.exec("DELETE FROM panel_invitations WHERE member_id=$1", {m.id}).affected();
  // The answers stay in the results; only the links to the person (and their sign-in) go.
  e.responses_unlinked = tx.exec("UPDATE responses SET "
                                 "person_id = CASE WHEN person_id = $1 THEN NULL ELSE person_id END, "
                                 "submitted_by = CASE WHEN submitted_by = $2 THEN NULL ELSE submitted_by END "
                                 "WHERE person_id = $1 OR submitted_by = $2",
                                 {m.person_id, m.user_id.value_or(-1)})
                             .affected();
  tx.exec("DELETE FROM panel_members WHERE id=$1", {m.id});
  tx.exec("DELETE FROM equality_data WHERE person_id=$1", {m.person_id});
  tx.exec("DELETE FROM people WHERE id=$1", {m.person_id});
  if (m.user_id) tx.exec("DELETE FROM users WHERE id=$1", {*m.user_id});
  return e;
}

}  // namespace panel_tables

Result<std::vector<panel::Member>> PgStore::import_members(const std::vector<panel::NewMember>& members,
                                                           const AuditEvent& audit) {
  return write("cannot add panel members", [&](Tx& tx) -> Result<std::vector<panel::Member>> {
    std::vector<panel::Member> out;
    std::string now = now_rfc3339_utc();
    for (size_t i = 0; i < members.size(); ++i) {
      auto m = panel_tables::insert_member(tx, members[i], now, "/" + std::to_string(i));
      if (!m) return m.error();  // the transaction rolls back: nothing of the batch is kept
      out.push_back(std::move(*m));
    }
    AuditEvent ev = audit;
    if (out.size() == 1) {
      ev.subject_id = std::to_string(out[0].id);
    } else {
      ev.detail["members"] = out.size();
    }
    append_audit_locked(tx, ev);
    return out;
  }, [](const pq::Failure& e) -> std::optional<Error> {
    if (!e.unique_violation()) return std::nullopt;
    return Error{ErrorCode::kConflict, "", std::string("a member or sign-in token is already on the panel: ") + e.what()};
  });
}

Result<panel::Member> PgStore::member_lookup(const char* column, int64_t value) {
  return read("cannot read panel member", [&](Tx& tx) -> Result<panel::Member> {
    auto m = panel_tables::member_where(tx, column, value);
    if (!m) return not_found(std::string("panel member with ") + column, std::to_string(value));
    return *m;
  });
}

Result<panel::Member> PgStore::get_member(int64_t member_id) { return member_lookup("id", member_id); }
Result<panel::Member> PgStore::member_by_person(int64_t person_id) { return member_lookup("person_id", person_id); }
Result<panel::Member> PgStore::member_by_user(int64_t user_id) { return member_lookup("user_id", user_id); }

Result<panel::Member> PgStore::member_by_email(const std::string& email) {
  auto key = panel::sign_in_key(email);
  if (!key) return Error{ErrorCode::kNotFound, "email", "no panel member with that email address"};
  return read("cannot find panel member", [&](Tx& tx) -> Result<panel::Member> {
    auto m = panel_tables::member_with_sign_in_key(tx, *key);
    if (!m) return Error{ErrorCode::kNotFound, "email", "no panel member with that email address"};
    return *m;
  });
}

Result<std::vector<panel::Member>> PgStore::list_members() {
  return read("cannot list panel members",
              [&](Tx& tx) -> Result<std::vector<panel::Member>> { return panel_tables::all_members(tx); });
}

Status PgStore::link_member_user(int64_t member_id, int64_t user_id, const AuditEvent& audit) {
  return write("cannot link panel member", [&](Tx& tx) -> Status {
    if (tx.exec("UPDATE panel_members SET user_id=$1 WHERE id=$2", {user_id, member_id}).affected() == 0) {
      return not_found("panel member", std::to_string(member_id));
    }
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(member_id);
    append_audit_locked(tx, ev);
    return Status::Ok();
  }, on_integrity(Error{ErrorCode::kConflict, "user_id", "user " + std::to_string(user_id) + " is unknown or linked to another member"}));
}

Result<std::vector<panel::Fact>> PgStore::member_facts(int64_t member_id) {
  return read("cannot read facts", [&](Tx& tx) -> Result<std::vector<panel::Fact>> {
    if (!panel_tables::member_where(tx, "id", member_id)) return not_found("panel member", std::to_string(member_id));
    return panel_tables::facts_of(tx, member_id);
  }, true);
}

Result<std::vector<std::pair<int64_t, std::vector<panel::Fact>>>> PgStore::all_member_facts() {
  return read("cannot read facts", [&](Tx& tx) -> Result<std::vector<std::pair<int64_t, std::vector<panel::Fact>>>> {
    return panel_tables::facts_of_all(tx);
  });
}

Status PgStore::record_facts(int64_t member_id, const std::vector<panel::Fact>& facts, const AuditEvent& audit) {
  return write("cannot record facts", [&](Tx& tx) -> Status {
    if (!panel_tables::member_where(tx, "id", member_id, true)) return not_found("panel member", std::to_string(member_id));
    panel_tables::upsert_facts(tx, member_id, facts);
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(member_id);
    nlohmann::json keys = nlohmann::json::array();  // keys and provenance only: values are personal data
    for (const auto& f : facts) keys.push_back({{"key", f.key}, {"channel", f.channel}, {"source", f.source}});
    ev.detail["facts"] = keys;
    append_audit_locked(tx, ev);
    return Status::Ok();
  });
}

Status PgStore::record_invitations(const std::vector<panel::Invitation>& invitations, const panel::ContactPolicy& limit,
                                   const AuditEvent& audit) {
  return write("cannot record invitations", [&](Tx& tx) -> Status {
    // The members' rows, locked in id order (so two writers never wait on each other in a ring):
    // the counts below stay true until this transaction ends.
    std::vector<int64_t> ids;
    for (const auto& inv : invitations) ids.push_back(inv.member_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (int64_t id : ids) {
      if (tx.exec("SELECT 1 FROM panel_members WHERE id=$1 FOR UPDATE", {id}).empty()) {
        return Error{ErrorCode::kNotFound, "", "unknown member or consultation: no panel member " + std::to_string(id)};
      }
    }
    for (const auto& inv : invitations) {
      if (!tx.exec("SELECT 1 FROM panel_invitations WHERE member_id=$1 AND consultation_id=$2",
                   {inv.member_id, inv.consultation_id})
               .empty()) {
        continue;
      }
      const int64_t sent = tx.exec("SELECT count(*) FROM panel_invitations WHERE member_id=$1 AND sent_on>=$2 AND "
                                   "sent_on<=$3",
                                   {inv.member_id, limit.window_start(inv.sent_on).iso(), inv.sent_on.iso()})
                               .i64(0, 0);
      if (sent >= limit.max_invitations) {
        return Error{ErrorCode::kConflict, "member_id",
                     "member " + std::to_string(inv.member_id) + " has had " + std::to_string(sent) +
                         " invitation(s) already; one more would break the contact limit (" + limit.describe() +
                         "); no invitations were recorded"};
      }
    }
    for (const auto& inv : invitations) {
      tx.exec("INSERT INTO panel_invitations(member_id, consultation_id, sent_on) VALUES ($1,$2,$3) "
              "ON CONFLICT(member_id, consultation_id) DO NOTHING",
              {inv.member_id, inv.consultation_id, inv.sent_on.iso()});
    }
    append_audit_locked(tx, audit);
    return Status::Ok();
  }, [](const pq::Failure& e) -> std::optional<Error> {
    if (!e.integrity_violation()) return std::nullopt;
    return Error{ErrorCode::kNotFound, "", std::string("unknown member or consultation: ") + e.what()};
  });
}

Result<std::vector<panel::Invitation>> PgStore::invitations_since(Date since) {
  return read("cannot read invitations", [&](Tx& tx) -> Result<std::vector<panel::Invitation>> {
    std::vector<panel::Invitation> out;
    auto q = tx.exec("SELECT member_id, consultation_id, sent_on FROM panel_invitations WHERE sent_on >= $1 "
                     "ORDER BY sent_on, id",
                     {since.iso()});
    for (int i = 0; i < q.size(); ++i) out.push_back({q.i64(i, 0), q.str(i, 1), panel_tables::stored_date(q.str(i, 2))});
    return out;
  });
}

Result<std::vector<panel::Invitation>> PgStore::member_invitations(int64_t member_id) {
  return read("cannot read invitations", [&](Tx& tx) -> Result<std::vector<panel::Invitation>> {
    std::vector<panel::Invitation> out;
    auto q = tx.exec("SELECT member_id, consultation_id, sent_on FROM panel_invitations WHERE member_id = $1 "
                     "ORDER BY sent_on, id",
                     {member_id});
    for (int i = 0; i < q.size(); ++i) out.push_back({q.i64(i, 0), q.str(i, 1), panel_tables::stored_date(q.str(i, 2))});
    return out;
  });
}

Result<panel::Erasure> PgStore::erase_member(int64_t member_id, const AuditEvent& audit) {
  return write("cannot erase panel member", [&](Tx& tx) -> Result<panel::Erasure> {
    auto m = panel_tables::member_where(tx, "id", member_id, true);
    if (!m) return not_found("panel member", std::to_string(member_id));
    panel::Erasure e = panel_tables::erase(tx, *m);
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(member_id);
    ev.detail = e.to_json();
    append_audit_locked(tx, ev);
    return e;
  });
}

}  // namespace townhall::postgres
