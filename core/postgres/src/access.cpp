// AccessStore and ForwardPlanStore over PostgreSQL: the API's users and their bearer tokens'
// hashes; key decisions as their JSON documents.
#include "database.h"
#include "townhall/util/json_parse.h"

namespace townhall::postgres {

Result<User> PgStore::add_user(Role role, const std::string& name, const std::string& token_hash) {
  if (role == Role::kPublic) return invalid_argument("role", "the public role needs no user or token");
  return write("cannot add user", [&](Tx& tx) -> Result<User> {
    auto q = tx.exec("INSERT INTO users(name, role, token_hash, created_at) VALUES ($1,$2,$3,$4) RETURNING id",
                     {name, role_id(role), token_hash, now_rfc3339_utc()});
    User u{q.i64(0, 0), name, role};
    AuditEvent ev{"system", "user.add", "user", std::to_string(u.id), {{"name", name}, {"role", role_id(role)}}};
    append_audit_locked(tx, ev);
    return u;
  });
}

std::optional<User> PgStore::user_by_token_hash(const std::string& token_hash) {
  auto found = read("cannot read user", [&](Tx& tx) -> Result<std::optional<User>> {
    auto q = tx.exec("SELECT id, name, role FROM users WHERE token_hash = $1 AND disabled_at IS NULL", {token_hash});
    if (q.empty()) return std::optional<User>();
    auto role = parse_role(q.str(0, 2));
    if (!role) return std::optional<User>();
    return std::optional<User>(User{q.i64(0, 0), q.str(0, 1), *role});
  });
  // A database that cannot be read signs nobody in.
  return found ? *found : std::nullopt;
}

Result<nlohmann::json> PgStore::put_key_decision(const std::string& id, const nlohmann::json& doc,
                                                 const AuditEvent& audit) {
  return write("cannot store key decision", [&](Tx& tx) -> Result<nlohmann::json> {
    tx.exec("INSERT INTO key_decisions(id, document, updated_at) VALUES ($1,$2,$3) "
            "ON CONFLICT(id) DO UPDATE SET document=excluded.document, updated_at=excluded.updated_at",
            {id, doc.dump(), now_rfc3339_utc()});
    AuditEvent ev = audit;
    ev.subject_id = id;
    append_audit_locked(tx, ev);
    return doc;
  });
}

Result<nlohmann::json> PgStore::get_key_decision(const std::string& id) {
  return read("cannot read key decision", [&](Tx& tx) -> Result<nlohmann::json> {
    auto q = tx.exec("SELECT document FROM key_decisions WHERE id=$1", {id});
    if (q.empty()) return not_found("key decision", id);
    return parse_stored_json(q.str(0, 0));
  });
}

Result<std::vector<nlohmann::json>> PgStore::list_key_decisions() {
  return read("cannot list key decisions", [&](Tx& tx) -> Result<std::vector<nlohmann::json>> {
    std::vector<nlohmann::json> out;
    auto q = tx.exec("SELECT document FROM key_decisions ORDER BY id");
    for (int i = 0; i < q.size(); ++i) out.push_back(parse_stored_json(q.str(i, 0)));
    return out;
  });
}

}  // namespace townhall::postgres
