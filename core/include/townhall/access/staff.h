// townhall/access/staff.h — staff who sign in to the console with a name and a password: their
// accounts, their browser sessions, and how repeated failed sign-ins are slowed down.
//
// A staff account is a user (role.h: officer, governance or admin) with a user name, an optional
// email address and an Argon2id password hash (password.h). Either the user name or the email
// address signs in; each is unique in its caseless form (i18n::caseless_key), and a user name
// holds no "@", so the two never clash. A session is a random secret the browser holds; the store
// keeps only its SHA-256, so any server over the same database can serve any request.
//
// Failed sign-ins are counted per account (per name typed, when it names no account, so a name
// that does not exist is slowed down exactly like one that does and nothing reveals which) and
// per client address; past a number of free failures each further failure makes that key wait
// longer (doubling, up to a limit) before another attempt is even checked.
// Thread-safety: the functions are as safe as the StaffStore given (the SQLite one: any thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/access/role.h"
#include "townhall/audit/audit.h"
#include "townhall/error.h"

namespace townhall {

struct StaffAccount {
  User user;
  std::string username;       // as typed when made (NFC, trimmed)
  std::string email;          // "" when none
  std::string password_hash;  // Argon2id hash text
  std::string created_at;     // RFC 3339 UTC
  std::string disabled_at;    // RFC 3339 UTC when an administrator disabled it; "" = enabled
};

// What `townhall users add` and the admin give for a new account. Checked by check_new_staff().
struct NewStaffAccount {
  Role role = Role::kOfficer;
  std::string name;  // the person's name as the audit trail shows it; "" = the user name
  std::string username;
  std::string email;  // optional
};

// A signed-in browser. Times are Unix seconds.
struct StaffSession {
  int64_t id = 0;
  std::string hash;  // SHA-256 of the secret (staff_session_hash)
  int64_t user_id = 0;
  std::string client;  // the client address it signed in from
  int64_t created_at = 0, last_seen_at = 0, expires_at = 0;
};

// A session and the user it belongs to.
struct SignedInStaff {
  StaffSession session;
  User user;
};

// Failed sign-ins counted against one key ("account:3", "name:<caseless name>", "client:<address>").
struct SignInFailures {
  std::string key;
  int64_t failures = 0;
  int64_t last_failure = 0;  // Unix seconds
};

class StaffStore {
 public:
  virtual ~StaffStore() = default;

  // A new user with `role` and its staff account, in one transaction with `audit`; the account's
  // bearer token hash is `token_hash` (the API's token for the same user). kConflict naming
  // "username" or "email" when another account has that name or address already.
  virtual Result<StaffAccount> add_staff_account(const NewStaffAccount& account, const std::string& username_key,
                                                 const std::string& email_key, const std::string& password_hash,
                                                 const std::string& token_hash, const AuditEvent& audit) = 0;
  // The account whose caseless user name or email address is `key`; kNotFound when none.
  virtual Result<StaffAccount> staff_account_by_key(const std::string& key) = 0;
  // Replaces the password hash; `audit` (when given) in the same transaction. kNotFound for a
  // user without a staff account.
  virtual Status set_staff_password(int64_t user_id, const std::string& password_hash, const AuditEvent* audit) = 0;
  // Every staff account, by user name.
  virtual Result<std::vector<StaffAccount>> staff_accounts() = 0;
  // The staff account of `user_id`; kNotFound when the user has none.
  virtual Result<StaffAccount> staff_account(int64_t user_id) = 0;
  // Gives the account `role` and enables or disables it, with `audit`, in one transaction.
  // Disabling ends the account's sessions. kConflict (field "role", or "disabled") when no enabled
  // administrator would be left: the console could then never be managed again.
  virtual Status update_staff_account(int64_t user_id, Role role, bool disabled, const AuditEvent& audit) = 0;

  // The failures counted against `keys` (absent keys are left out), forgetting counts whose last
  // failure is older than `forget_before`.
  virtual Result<std::vector<SignInFailures>> sign_in_failures(const std::vector<std::string>& keys,
                                                                int64_t forget_before) = 0;
  // One more failure against each key at `now`; counts whose last failure is older than
  // `forget_before` start again from one.
  virtual Status record_sign_in_failure(const std::vector<std::string>& keys, int64_t now, int64_t forget_before) = 0;
  virtual Status clear_sign_in_failures(const std::vector<std::string>& keys) = 0;

  // Sessions. staff_session gives the live session with this hash and its user, kNotFound when it
  // is unknown, past expires_at, unused for `idle_seconds`, or its user is disabled; such
  // sessions are deleted on the way, and last_seen_at moves to `now`.
  virtual Result<StaffSession> put_staff_session(const StaffSession& session) = 0;
  virtual Result<SignedInStaff> staff_session(const std::string& hash, int64_t now, int64_t idle_seconds) = 0;
  // The user's live sessions, newest first.
  virtual Result<std::vector<StaffSession>> staff_sessions(int64_t user_id, int64_t now, int64_t idle_seconds) = 0;
  // Ends the user's session `session_id` (kNotFound when the user has no such session).
  virtual Status delete_staff_session(int64_t user_id, int64_t session_id) = 0;
};

// ---- rules of the accounts ------------------------------------------------------------------

// The caseless key of a user name or email address as typed at sign-in; nullopt when blank or
// not UTF-8.
std::optional<std::string> staff_sign_in_key(std::string_view name_or_email);

// kInvalidArgument naming the field ("role", "username", "email", "name") when the new account
// cannot be made: a role that is not staff, a user name that is not 2–64 characters of letters,
// digits and . _ - (no "@"), an email address that does not look like one.
Status check_new_staff(const NewStaffAccount& account);

// Makes the account: checks it and the password (check_new_password), hashes the password and
// stores both, audited as "user.add" by `actor`. The bearer token of the user is `token_hash`.
Result<StaffAccount> add_staff_account(StaffStore& store, const NewStaffAccount& account, std::string_view password,
                                       const std::string& token_hash, const Actor& actor);

// Replaces the password of the account `name_or_email` after checking the new one, audited as
// "user.password" by `actor`; the account's sessions stay (sign-outs are the sessions page's).
Status set_staff_password(StaffStore& store, std::string_view name_or_email, std::string_view password,
                          const Actor& actor);

// An administrator (`by`) changes the role of the account `user_id` and whether it is disabled,
// audited as "user.change". `role` must be a staff role (kInvalidArgument, field "role"). Nobody
// changes their own role or disables themselves (kConflict): another administrator must, so a
// slip of the mouse cannot lock the council out. The store refuses to leave no enabled
// administrator. Disabling ends the account's sessions and stops its bearer token.
Status change_staff_account(StaffStore& store, int64_t user_id, Role role, bool disabled, const User& by);

// ---- signing in -----------------------------------------------------------------------------

struct SignInPolicy {
  int64_t free_account_failures = 5;   // per account (or per name typed)
  int64_t free_client_failures = 20;   // per client address
  int64_t first_wait_seconds = 60;     // after the first failure past the free ones; then doubling
  int64_t longest_wait_seconds = 3600;
  int64_t forget_after_seconds = 24 * 3600;  // failures older than this are forgotten
  int64_t session_seconds = 10 * 3600;       // a session ends this long after sign-in at the latest
  int64_t idle_seconds = 30 * 60;            // ... or when unused this long
};

// How long a key with `failures` whose last failure was at `last_failure` must still wait at
// `now` (0 = it may try now).
int64_t sign_in_wait(const SignInPolicy& policy, int64_t free_failures, int64_t failures, int64_t last_failure,
                     int64_t now);

enum class SignInOutcome {
  kSignedIn,
  kRefused,    // the name and password do not match an account (never says which was wrong)
  kThrottled,  // too many failures for this name or from this address: wait retry_after seconds
  kDisabled,   // the name and password match an account an administrator has disabled
};

struct SignInResult {
  SignInOutcome outcome = SignInOutcome::kRefused;
  User user;                  // kSignedIn
  std::string session_secret;  // kSignedIn: for the browser's cookie; only its hash is stored
  StaffSession session;       // kSignedIn
  int64_t retry_after = 0;    // kThrottled
};

// SHA-256 (hex) of a session secret, as the store keeps it.
std::string staff_session_hash(std::string_view secret);

// Checks `password` for the account named by `name_or_email` from `client` at `now`. A throttled
// key is refused before the password is looked at; an unknown name costs as long as a wrong
// password. On success the name's failures are cleared, an outdated hash is replaced, and a new
// session is stored.
Result<SignInResult> sign_in_staff(StaffStore& store, std::string_view name_or_email, std::string_view password,
                                   const std::string& client, int64_t now, const SignInPolicy& policy = {});

// The signed-in staff member of a session secret, or kNotFound.
Result<SignedInStaff> staff_of_session(StaffStore& store, std::string_view secret, int64_t now,
                                       const SignInPolicy& policy = {});

}  // namespace townhall
