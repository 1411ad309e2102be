// AccessStore over SQLite: the API's users and their bearer tokens' hashes.
#include "database.h"

namespace townhall::sqlite {

Result<User> SqliteStore::add_user(Role role, const std::string& name, const std::string& token_hash) {
  if (role == Role::kPublic) return invalid_argument("role", "the public role needs no user or token");
  return write("cannot add user", [&]() -> Result<User> {
    SQLite::Statement q(db_, "INSERT INTO users(name, role, token_hash, created_at) VALUES (?,?,?,?)");
    q.bind(1, name);
    q.bind(2, role_id(role));
    q.bind(3, token_hash);
    q.bind(4, now_rfc3339_utc());
    q.exec();
    User u{db_.getLastInsertRowid(), name, role};
    AuditEvent ev{"system", "user.add", "user", std::to_string(u.id),
                  {{"name", name}, {"role", role_id(role)}}};
    append_audit_locked(ev);
    return u;
  });
}

std::optional<User> SqliteStore::user_by_token_hash(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  SQLite::Statement q(db_, "SELECT id, name, role FROM users WHERE token_hash = ? AND disabled_at IS NULL");
  q.bind(1, token_hash);
  if (!q.executeStep()) return std::nullopt;
  auto role = parse_role(q.getColumn(2).getString());
  if (!role) return std::nullopt;
  return User{q.getColumn(0).getInt64(), q.getColumn(1).getString(), *role};
}

}  // namespace townhall::sqlite
