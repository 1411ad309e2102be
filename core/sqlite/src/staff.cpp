// StaffStore over SQLite: staff accounts, console sessions and failed sign-in counts.
#include "database.h"

namespace townhall::sqlite {
namespace {

constexpr const char* kAccountColumns =
    "SELECT u.id, u.name, u.role, a.username, COALESCE(a.email, ''), a.password_hash, a.created_at, "
    "COALESCE(u.disabled_at, '') FROM staff_accounts a JOIN users u ON u.id = a.user_id ";

StaffAccount account_of(SQLite::Statement& q) {
  StaffAccount a;
  a.user.id = q.getColumn(0).getInt64();
  a.user.name = q.getColumn(1).getString();
  auto role = parse_role(q.getColumn(2).getString());
  if (!role) throw std::runtime_error("a stored user has an unknown role");
  a.user.role = *role;
  a.username = q.getColumn(3).getString();
  a.email = q.getColumn(4).getString();
  a.password_hash = q.getColumn(5).getString();
  a.created_at = q.getColumn(6).getString();
  a.disabled_at = q.getColumn(7).getString();
  return a;
}

StaffSession session_of(SQLite::Statement& q, int first) {
  StaffSession s;
  s.id = q.getColumn(first).getInt64();
  s.hash = q.getColumn(first + 1).getString();
  s.user_id = q.getColumn(first + 2).getInt64();
  s.client = q.getColumn(first + 3).getString();
  s.created_at = q.getColumn(first + 4).getInt64();
  s.last_seen_at = q.getColumn(first + 5).getInt64();
  s.expires_at = q.getColumn(first + 6).getInt64();
  return s;
}

std::string placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

// A session's last use is written at most this often (every request reads it).
constexpr int64_t kTouchSeconds = 60;

}  // namespace

Result<StaffAccount> SqliteStore::add_staff_account(const NewStaffAccount& account, const std::string& username_key,
                                                    const std::string& email_key, const std::string& password_hash,
                                                    const std::string& token_hash, const AuditEvent& audit) {
  return write("cannot add staff account", [&]() -> Result<StaffAccount> {
    {
      SQLite::Statement q(db_, "SELECT 1 FROM staff_accounts WHERE username_key=?");
      q.bind(1, username_key);
      if (q.executeStep()) return Error{ErrorCode::kConflict, "username", "the user name \"" + account.username + "\" is taken"};
    }
    if (!email_key.empty()) {
      SQLite::Statement q(db_, "SELECT 1 FROM staff_accounts WHERE email_key=?");
      q.bind(1, email_key);
      if (q.executeStep()) return Error{ErrorCode::kConflict, "email", "another account has the email address " + account.email};
    }
    const std::string now = now_rfc3339_utc();
    SQLite::Statement u(db_, "INSERT INTO users(name, role, token_hash, created_at) VALUES (?,?,?,?)");
    u.bind(1, account.name);
    u.bind(2, role_id(account.role));
    u.bind(3, token_hash);
    u.bind(4, now);
    u.exec();
    StaffAccount a;
    a.user = User{db_.getLastInsertRowid(), account.name, account.role};
    a.username = account.username;
    a.email = account.email;
    a.password_hash = password_hash;
    a.created_at = now;
    SQLite::Statement q(db_,
                        "INSERT INTO staff_accounts(user_id, username, username_key, email, email_key, password_hash, "
                        "created_at, password_changed_at) VALUES (?,?,?,?,?,?,?,?)");
    q.bind(1, a.user.id);
    q.bind(2, a.username);
    q.bind(3, username_key);
    if (a.email.empty()) q.bind(4); else q.bind(4, a.email);
    if (email_key.empty()) q.bind(5); else q.bind(5, email_key);
    q.bind(6, password_hash);
    q.bind(7, now);
    q.bind(8, now);
    q.exec();
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(a.user.id);
    append_audit_locked(ev);
    return a;
  });
}

Result<StaffAccount> SqliteStore::staff_account_by_key(const std::string& key) {
  return read("cannot read staff account", [&]() -> Result<StaffAccount> {
    SQLite::Statement q(db_, std::string(kAccountColumns) + "WHERE a.username_key=?1 OR a.email_key=?1");
    q.bind(1, key);
    if (!q.executeStep()) return not_found("staff account", key);
    return account_of(q);
  });
}

Status SqliteStore::set_staff_password(int64_t user_id, const std::string& password_hash, const AuditEvent* audit) {
  return write("cannot change password", [&]() -> Status {
    SQLite::Statement q(db_, "UPDATE staff_accounts SET password_hash=?, password_changed_at=? WHERE user_id=?");
    q.bind(1, password_hash);
    q.bind(2, now_rfc3339_utc());
    q.bind(3, user_id);
    if (q.exec() == 0) return not_found("staff account", std::to_string(user_id));
    if (audit) append_audit_locked(*audit);
    return Status::Ok();
  });
}

Result<std::vector<StaffAccount>> SqliteStore::staff_accounts() {
  return read("cannot list staff accounts", [&]() -> Result<std::vector<StaffAccount>> {
    SQLite::Statement q(db_, std::string(kAccountColumns) + "ORDER BY a.username_key");
    std::vector<StaffAccount> out;
    while (q.executeStep()) out.push_back(account_of(q));
    return out;
  });
}

Result<StaffAccount> SqliteStore::staff_account(int64_t user_id) {
  return read("cannot read staff account", [&]() -> Result<StaffAccount> {
    SQLite::Statement q(db_, std::string(kAccountColumns) + "WHERE a.user_id=?");
    q.bind(1, user_id);
    if (!q.executeStep()) return not_found("staff account", std::to_string(user_id));
    return account_of(q);
  });
}

Status SqliteStore::update_staff_account(int64_t user_id, Role role, bool disabled, const AuditEvent& audit) {
  return write("cannot change staff account", [&]() -> Status {
    SQLite::Statement u(db_,
                        "UPDATE users SET role=?, disabled_at = CASE WHEN ? THEN COALESCE(disabled_at, ?) ELSE NULL END "
                        "WHERE id=? AND id IN (SELECT user_id FROM staff_accounts)");
    u.bind(1, role_id(role));
    u.bind(2, disabled ? 1 : 0);
    u.bind(3, now_rfc3339_utc());
    u.bind(4, user_id);
    if (u.exec() == 0) return not_found("staff account", std::to_string(user_id));
    SQLite::Statement admins(db_, "SELECT COUNT(*) FROM users WHERE role='admin' AND disabled_at IS NULL");
    admins.executeStep();
    if (admins.getColumn(0).getInt64() == 0) {
      // The write transaction rolls back: nothing changes.
      return Error{ErrorCode::kConflict, role == Role::kAdmin ? "disabled" : "role",
                   "this would leave no enabled administrator: enable or make another administrator first"};
    }
    if (disabled) {
      SQLite::Statement d(db_, "DELETE FROM staff_sessions WHERE user_id=?");
      d.bind(1, user_id);
      d.exec();
    }
    append_audit_locked(audit);
    return Status::Ok();
  });
}

Result<std::vector<SignInFailures>> SqliteStore::sign_in_failures(const std::vector<std::string>& keys,
                                                                  int64_t forget_before) {
  return read("cannot read sign-in failures", [&]() -> Result<std::vector<SignInFailures>> {
    std::vector<SignInFailures> out;
    if (keys.empty()) return out;
    SQLite::Statement q(db_, "SELECT key, failures, last_failure FROM sign_in_failures WHERE last_failure >= ? AND key IN (" +
                                 placeholders(keys.size()) + ")");
    q.bind(1, forget_before);
    for (size_t i = 0; i < keys.size(); ++i) q.bind(static_cast<int>(i + 2), keys[i]);
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
    }
    return out;
  });
}

Status SqliteStore::record_sign_in_failure(const std::vector<std::string>& keys, int64_t now, int64_t forget_before) {
  return write("cannot count failed sign-in", [&]() -> Status {
    // Old counts go first, so names tried once long ago do not pile up.
    SQLite::Statement purge(db_, "DELETE FROM sign_in_failures WHERE last_failure < ?");
    purge.bind(1, forget_before);
    purge.exec();
    SQLite::Statement q(db_,
                        "INSERT INTO sign_in_failures(key, failures, last_failure) VALUES (?, 1, ?) "
                        "ON CONFLICT(key) DO UPDATE SET failures = failures + 1, last_failure = excluded.last_failure");
    for (const auto& key : keys) {
      q.reset();
      q.bind(1, key);
      q.bind(2, now);
      q.exec();
    }
    return Status::Ok();
  });
}

Status SqliteStore::clear_sign_in_failures(const std::vector<std::string>& keys) {
  return write("cannot clear sign-in failures", [&]() -> Status {
    SQLite::Statement q(db_, "DELETE FROM sign_in_failures WHERE key=?");
    for (const auto& key : keys) {
      q.reset();
      q.bind(1, key);
      q.exec();
    }
    return Status::Ok();
  });
}

Result<StaffSession> SqliteStore::put_staff_session(const StaffSession& session) {
  return write("cannot store session", [&]() -> Result<StaffSession> {
    SQLite::Statement q(db_,
                        "INSERT INTO staff_sessions(hash, user_id, client, created_at, last_seen_at, expires_at) "
                        "VALUES (?,?,?,?,?,?)");
    q.bind(1, session.hash);
    q.bind(2, session.user_id);
    q.bind(3, session.client);
    q.bind(4, session.created_at);
    q.bind(5, session.last_seen_at);
    q.bind(6, session.expires_at);
    q.exec();
    StaffSession s = session;
    s.id = db_.getLastInsertRowid();
    return s;
  }, on_constraint(Error{ErrorCode::kNotFound, "user_id", "no user " + std::to_string(session.user_id)}));
}

Result<SignedInStaff> SqliteStore::staff_session(const std::string& hash, int64_t now, int64_t idle_seconds) {
  return write("cannot read session", [&](bool& keep) -> Result<SignedInStaff> {
    SQLite::Statement q(db_,
                        "SELECT u.name, u.role, s.id, s.hash, s.user_id, s.client, s.created_at, s.last_seen_at, s.expires_at "
                        "FROM staff_sessions s JOIN users u ON u.id = s.user_id WHERE s.hash=? AND u.disabled_at IS NULL");
    q.bind(1, hash);
    if (!q.executeStep()) return not_found("session", "");
    SignedInStaff out;
    out.session = session_of(q, 2);
    auto role = parse_role(q.getColumn(1).getString());
    if (!role) throw std::runtime_error("a stored user has an unknown role");
    out.user = User{out.session.user_id, q.getColumn(0).getString(), *role};
    q.reset();
    keep = true;  // whatever happens below is worth keeping: a dead session deleted, a use noted
    if (now >= out.session.expires_at || now - out.session.last_seen_at >= idle_seconds) {
      SQLite::Statement d(db_, "DELETE FROM staff_sessions WHERE id=?");
      d.bind(1, out.session.id);
      d.exec();
      return not_found("session", "");
    }
    if (now - out.session.last_seen_at >= kTouchSeconds) {
      SQLite::Statement u(db_, "UPDATE staff_sessions SET last_seen_at=? WHERE id=?");
      u.bind(1, now);
      u.bind(2, out.session.id);
      u.exec();
      out.session.last_seen_at = now;
    }
    return out;
  });
}

Result<std::vector<StaffSession>> SqliteStore::staff_sessions(int64_t user_id, int64_t now, int64_t idle_seconds) {
  return write("cannot list sessions", [&]() -> Result<std::vector<StaffSession>> {
    SQLite::Statement d(db_, "DELETE FROM staff_sessions WHERE user_id=? AND (expires_at <= ? OR last_seen_at <= ?)");
    d.bind(1, user_id);
    d.bind(2, now);
    d.bind(3, now - idle_seconds);
    d.exec();
    SQLite::Statement q(db_,
                        "SELECT id, hash, user_id, client, created_at, last_seen_at, expires_at FROM staff_sessions "
                        "WHERE user_id=? ORDER BY created_at DESC, id DESC");
    q.bind(1, user_id);
    std::vector<StaffSession> out;
    while (q.executeStep()) out.push_back(session_of(q, 0));
    return out;
  });
}

Status SqliteStore::delete_staff_session(int64_t user_id, int64_t session_id) {
  return write("cannot end session", [&]() -> Status {
    SQLite::Statement q(db_, "DELETE FROM staff_sessions WHERE id=? AND user_id=?");
    q.bind(1, session_id);
    q.bind(2, user_id);
    if (q.exec() == 0) return not_found("session", std::to_string(session_id));
    return Status::Ok();
  });
}

}  // namespace townhall::sqlite
