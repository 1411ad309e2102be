// StaffStore over PostgreSQL: staff accounts, console sessions and failed sign-in counts, in the
// database so that any server over it serves any browser and slows the same guesser down.
#include "database.h"

namespace townhall::postgres {
namespace {

constexpr const char* kAccountColumns =
    "SELECT u.id, u.name, u.role, a.username, COALESCE(a.email, ''), a.password_hash, a.created_at, "
    "COALESCE(u.disabled_at, '') FROM staff_accounts a JOIN users u ON u.id = a.user_id ";

StaffAccount account_of(const pq::Rows& q, int i) {
  StaffAccount a;
  a.user.id = q.i64(i, 0);
  a.user.name = q.str(i, 1);
  auto role = parse_role(q.str(i, 2));
  if (!role) throw std::runtime_error("a stored user has an unknown role");
  a.user.role = *role;
  a.username = q.str(i, 3);
  a.email = q.str(i, 4);
  a.password_hash = q.str(i, 5);
  a.created_at = q.str(i, 6);
  a.disabled_at = q.str(i, 7);
  return a;
}

StaffSession session_of(const pq::Rows& q, int i, int first) {
  StaffSession s;
  s.id = q.i64(i, first);
  s.hash = q.str(i, first + 1);
  s.user_id = q.i64(i, first + 2);
  s.client = q.str(i, first + 3);
  s.created_at = q.i64(i, first + 4);
  s.last_seen_at = q.i64(i, first + 5);
  s.expires_at = q.i64(i, first + 6);
  return s;
}

// A session's last use is written at most this often (every request reads it).
constexpr int64_t kTouchSeconds = 60;

}  // namespace

Result<StaffAccount> PgStore::add_staff_account(const NewStaffAccount& account, const std::string& username_key,
                                                const std::string& email_key, const std::string& password_hash,
                                                const std::string& token_hash, const AuditEvent& audit) {
  const Error name_taken{ErrorCode::kConflict, "username", "the user name \"" + account.username + "\" is taken"};
  const Error email_taken{ErrorCode::kConflict, "email", "another account has the email address " + account.email};
  return write("cannot add staff account", [&](Tx& tx) -> Result<StaffAccount> {
    if (!tx.exec("SELECT 1 FROM staff_accounts WHERE username_key=$1", {username_key}).empty()) return name_taken;
    if (!email_key.empty() && !tx.exec("SELECT 1 FROM staff_accounts WHERE email_key=$1", {email_key}).empty()) {
      return email_taken;
    }
    const std::string now = now_rfc3339_utc();
    StaffAccount a;
    a.user = User{tx.exec("INSERT INTO users(name, role, token_hash, created_at) VALUES ($1,$2,$3,$4) RETURNING id",
                          {account.name, role_id(account.role), token_hash, now})
                      .i64(0, 0),
                  account.name, account.role};
    a.username = account.username;
    a.email = account.email;
    a.password_hash = password_hash;
    a.created_at = now;
    tx.exec("INSERT INTO staff_accounts(user_id, username, username_key, email, email_key, password_hash, created_at, "
            "password_changed_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
            {a.user.id, a.username, username_key, a.email.empty() ? pq::Param(nullptr) : pq::Param(a.email),
             email_key.empty() ? pq::Param(nullptr) : pq::Param(email_key), password_hash, now, now});
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(a.user.id);
    append_audit_locked(tx, ev);
    return a;
  }, [&](const pq::Failure& e) -> std::optional<Error> {
    // Two servers adding the same name at once: the unique index decides.
    if (!e.unique_violation()) return std::nullopt;
    if (std::string(e.what()).find("email_key") != std::string::npos) return email_taken;
    if (std::string(e.what()).find("username_key") != std::string::npos) return name_taken;
    return std::nullopt;
  });
}

Result<StaffAccount> PgStore::staff_account_by_key(const std::string& key) {
  return read("cannot read staff account", [&](Tx& tx) -> Result<StaffAccount> {
    auto q = tx.exec(std::string(kAccountColumns) + "WHERE a.username_key=$1 OR a.email_key=$1", {key});
    if (q.empty()) return not_found("staff account", key);
    return account_of(q, 0);
  });
}

Status PgStore::set_staff_password(int64_t user_id, const std::string& password_hash, const AuditEvent* audit) {
  return write("cannot change password", [&](Tx& tx) -> Status {
    if (tx.exec("UPDATE staff_accounts SET password_hash=$1, password_changed_at=$2 WHERE user_id=$3",
                {password_hash, now_rfc3339_utc(), user_id})
            .affected() == 0) {
      return not_found("staff account", std::to_string(user_id));
    }
    if (audit) append_audit_locked(tx, *audit);
    return Status::Ok();
  });
}

Result<std::vector<StaffAccount>> PgStore::staff_accounts() {
  return read("cannot list staff accounts", [&](Tx& tx) -> Result<std::vector<StaffAccount>> {
    auto q = tx.exec(std::string(kAccountColumns) + "ORDER BY a.username_key");
    std::vector<StaffAccount> out;
    for (int i = 0; i < q.size(); ++i) out.push_back(account_of(q, i));
    return out;
  });
}

Result<StaffAccount> PgStore::staff_account(int64_t user_id) {
  return read("cannot read staff account", [&](Tx& tx) -> Result<StaffAccount> {
    auto q = tx.exec(std::string(kAccountColumns) + "WHERE a.user_id=$1", {user_id});
    if (q.empty()) return not_found("staff account", std::to_string(user_id));
    return account_of(q, 0);
  });
}

Status PgStore::update_staff_account(int64_t user_id, Role role, bool disabled, const AuditEvent& audit) {
  return write("cannot change staff account", [&](Tx& tx) -> Status {
    // Two administrators disabling each other at once on two servers: one waits for the other,
    // then counts what the other left.
    tx.exec("SELECT pg_advisory_xact_lock(hashtext('townhall.staff_accounts'))");
    if (tx.exec("UPDATE users SET role=$1, disabled_at = CASE WHEN $2::boolean THEN COALESCE(disabled_at, $3) ELSE NULL END "
                "WHERE id=$4 AND id IN (SELECT user_id FROM staff_accounts)",
                {role_id(role), disabled ? "true" : "false", now_rfc3339_utc(), user_id})
            .affected() == 0) {
      return not_found("staff account", std::to_string(user_id));
    }
    if (tx.exec("SELECT COUNT(*) FROM users WHERE role='admin' AND disabled_at IS NULL").i64(0, 0) == 0) {
      return Error{ErrorCode::kConflict, role == Role::kAdmin ? "disabled" : "role",
                   "this would leave no enabled administrator: enable or make another administrator first"};
    }
    if (disabled) tx.exec("DELETE FROM staff_sessions WHERE user_id=$1", {user_id});
    append_audit_locked(tx, audit);
    return Status::Ok();
  });
}

Result<std::vector<SignInFailures>> PgStore::sign_in_failures(const std::vector<std::string>& keys,
                                                              int64_t forget_before) {
  return read("cannot read sign-in failures", [&](Tx& tx) -> Result<std::vector<SignInFailures>> {
    std::vector<SignInFailures> out;
    for (const auto& key : keys) {
      auto q = tx.exec("SELECT key, failures, last_failure FROM sign_in_failures WHERE last_failure >= $1 AND key = $2",
                       {forget_before, key});
      if (!q.empty()) out.push_back({q.str(0, 0), q.i64(0, 1), q.i64(0, 2)});
    }
    return out;
  });
}

Status PgStore::record_sign_in_failure(const std::vector<std::string>& keys, int64_t now, int64_t forget_before) {
  return write("cannot count failed sign-in", [&](Tx& tx) -> Status {
    // Old counts go first, so names tried once long ago do not pile up.
    tx.exec("DELETE FROM sign_in_failures WHERE last_failure < $1", {forget_before});
    for (const auto& key : keys) {
      tx.exec("INSERT INTO sign_in_failures(key, failures, last_failure) VALUES ($1, 1, $2) ON CONFLICT(key) DO UPDATE "
              "SET failures = sign_in_failures.failures + 1, last_failure = excluded.last_failure",
              {key, now});
    }
    return Status::Ok();
  });
}

Status PgStore::clear_sign_in_failures(const std::vector<std::string>& keys) {
  return write("cannot clear sign-in failures", [&](Tx& tx) -> Status {
    for (const auto& key : keys) tx.exec("DELETE FROM sign_in_failures WHERE key=$1", {key});
    return Status::Ok();
  });
}

Result<StaffSession> PgStore::put_staff_session(const StaffSession& session) {
  return write("cannot store session", [&](Tx& tx) -> Result<StaffSession> {
    StaffSession s = session;
    s.id = tx.exec("INSERT INTO staff_sessions(hash, user_id, client, created_at, last_seen_at, expires_at) "
                   "VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
                   {session.hash, session.user_id, session.client, session.created_at, session.last_seen_at,
                    session.expires_at})
               .i64(0, 0);
    return s;
  }, on_integrity(Error{ErrorCode::kNotFound, "user_id", "no user " + std::to_string(session.user_id)}));
}

Result<SignedInStaff> PgStore::staff_session(const std::string& hash, int64_t now, int64_t idle_seconds) {
  return write("cannot read session", [&](Tx& tx, bool& keep) -> Result<SignedInStaff> {
    auto q = tx.exec("SELECT u.name, u.role, s.id, s.hash, s.user_id, s.client, s.created_at, s.last_seen_at, "
                     "s.expires_at FROM staff_sessions s JOIN users u ON u.id = s.user_id WHERE s.hash=$1 AND u.disabled_at IS NULL",
                     {hash});
    if (q.empty()) return not_found("session", "");
    SignedInStaff out;
    out.session = session_of(q, 0, 2);
    auto role = parse_role(q.str(0, 1));
    if (!role) throw std::runtime_error("a stored user has an unknown role");
    out.user = User{out.session.user_id, q.str(0, 0), *role};
    keep = true;  // whatever happens below is worth keeping: a dead session deleted, a use noted
    if (now >= out.session.expires_at || now - out.session.last_seen_at >= idle_seconds) {
      tx.exec("DELETE FROM staff_sessions WHERE id=$1", {out.session.id});
      return not_found("session", "");
    }
    if (now - out.session.last_seen_at >= kTouchSeconds) {
      tx.exec("UPDATE staff_sessions SET last_seen_at=$1 WHERE id=$2", {now, out.session.id});
      out.session.last_seen_at = now;
    }
    return out;
  });
}

Result<std::vector<StaffSession>> PgStore::staff_sessions(int64_t user_id, int64_t now, int64_t idle_seconds) {
  return write("cannot list sessions", [&](Tx& tx) -> Result<std::vector<StaffSession>> {
    tx.exec("DELETE FROM staff_sessions WHERE user_id=$1 AND (expires_at <= $2 OR last_seen_at <= $3)",
            {user_id, now, now - idle_seconds});
    auto q = tx.exec("SELECT id, hash, user_id, client, created_at, last_seen_at, expires_at FROM staff_sessions "
                     "WHERE user_id=$1 ORDER BY created_at DESC, id DESC",
                     {user_id});
    std::vector<StaffSession> out;
    for (int i = 0; i < q.size(); ++i) out.push_back(session_of(q, i, 0));
    return out;
  });
}

Status PgStore::delete_staff_session(int64_t user_id, int64_t session_id) {
  return write("cannot end session", [&](Tx& tx) -> Status {
    if (tx.exec("DELETE FROM staff_sessions WHERE id=$1 AND user_id=$2", {session_id, user_id}).affected() == 0) {
      return not_found("session", std::to_string(session_id));
    }
    return Status::Ok();
  });
}

}  // namespace townhall::postgres
