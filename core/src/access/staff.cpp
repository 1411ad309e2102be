// Staff accounts, sign-in with back-off, and sessions (townhall/access/staff.h).
#include "townhall/access/staff.h"

#include <algorithm>
#include <cctype>

#include "townhall/access/password.h"
#include "townhall/access/token.h"
#include "townhall/i18n/text.h"
#include "townhall/util/sha256.h"
#include "townhall/util/utf8.h"

namespace townhall {
namespace {

bool is_staff_role(Role r) { return r == Role::kOfficer || r == Role::kGovernance || r == Role::kAdmin; }

// Trimmed NFC text, or an error naming `field`.
Result<std::string> clean(std::string_view text, std::string_view field) {
  auto n = i18n::normalize_for_storage(text, field);
  if (!n) return n.error();
  std::string s = std::move(n).value();
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.back())) s.pop_back();
  size_t b = 0;
  while (b < s.size() && space(s[b])) ++b;
  return s.substr(b);
}

bool looks_like_email(std::string_view e) {
  size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = e.substr(at + 1);
  size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  return e.size() <= 254 && std::none_of(e.begin(), e.end(), [](char c) {
           return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '<' || c == '>' || c == ',';
         });
}

}  // namespace

std::optional<std::string> staff_sign_in_key(std::string_view name_or_email) { return i18n::caseless_key(name_or_email); }

Status check_new_staff(const NewStaffAccount& a) {
  if (!is_staff_role(a.role)) {
    return invalid_argument("role", std::string("a staff account is an officer, governance or admin, not ") + role_id(a.role));
  }
  auto username = clean(a.username, "username");
  if (!username) return username.error();
  const std::string& u = *username;
  if (count_code_points(u) < 2 || count_code_points(u) > 64) return invalid_argument("username", "the user name must be 2 to 64 characters");
  for (size_t i = 0; i < u.size(); ++i) {
    auto c = static_cast<unsigned char>(u[i]);
    if (c >= 0x80) continue;  // letters of any script
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-')) {
      return invalid_argument("username", "the user name may hold only letters, digits and . _ - (not \"" +
                                              std::string(1, static_cast<char>(c)) + "\")");
    }
  }
  if (!a.email.empty()) {
    auto email = clean(a.email, "email");
    if (!email) return email.error();
    if (!looks_like_email(*email)) return invalid_argument("email", "\"" + *email + "\" is not an email address");
  }
  if (!a.name.empty()) {
    auto name = clean(a.name, "name");
    if (!name) return name.error();
    if (name->empty() || count_code_points(*name) > 200) return invalid_argument("name", "the name must be 1 to 200 characters");
  }
  return Status::Ok();
}

Result<StaffAccount> add_staff_account(StaffStore& store, const NewStaffAccount& account, std::string_view password,
                                       const std::string& token_hash, const Actor& actor) {
  if (auto st = check_new_staff(account); !st) return st.error();
  if (auto st = check_new_password(password); !st) return st.error();
  NewStaffAccount a = account;
  a.username = *clean(account.username, "username");
  a.email = account.email.empty() ? "" : *clean(account.email, "email");
  a.name = account.name.empty() ? a.username : *clean(account.name, "name");
  auto username_key = staff_sign_in_key(a.username);
  if (!username_key) return invalid_argument("username", "the user name is blank");
  std::string email_key;
  if (!a.email.empty()) email_key = staff_sign_in_key(a.email).value_or("");
  auto hash = hash_password(password);
  if (!hash) return hash.error();
  AuditEvent ev{actor.who, "user.add", "user", "",
                {{"name", a.name}, {"role", role_id(a.role)}, {"username", a.username}, {"password", true}}};
  return store.add_staff_account(a, *username_key, email_key, *hash, token_hash, ev);
}

Status set_staff_password(StaffStore& store, std::string_view name_or_email, std::string_view password,
                          const Actor& actor) {
  auto key = staff_sign_in_key(name_or_email);
  if (!key) return invalid_argument("username", "give the user name or email address of the account");
  auto account = store.staff_account_by_key(*key);
  if (!account) return account.error();
  if (auto st = check_new_password(password); !st) return st.error();
  auto hash = hash_password(password);
  if (!hash) return hash.error();
  AuditEvent ev{actor.who, "user.password", "user", std::to_string(account->user.id), {{"username", account->username}}};
  return store.set_staff_password(account->user.id, *hash, &ev);
}

Status change_staff_account(StaffStore& store, int64_t user_id, Role role, bool disabled, const User& by) {
  if (role != Role::kOfficer && role != Role::kGovernance && role != Role::kAdmin) {
    return invalid_argument("role", "a staff account's role is officer, governance or admin");
  }
  auto account = store.staff_account(user_id);
  if (!account) return account.error();
  const bool was_disabled = !account->disabled_at.empty();
  if (account->user.role == role && was_disabled == disabled) return Status::Ok();
  if (user_id == by.id) {
    return Error{ErrorCode::kConflict, account->user.role != role ? "role" : "disabled",
                 "you cannot change your own role or disable your own account: ask another administrator"};
  }
  nlohmann::json detail = {{"username", account->username}};
  if (account->user.role != role) detail["role"] = {{"from", role_id(account->user.role)}, {"to", role_id(role)}};
  if (was_disabled != disabled) detail["disabled"] = disabled;
  AuditEvent ev{Actor::of(by).who, "user.change", "user", std::to_string(user_id), std::move(detail)};
  return store.update_staff_account(user_id, role, disabled, ev);
}

int64_t sign_in_wait(const SignInPolicy& policy, int64_t free_failures, int64_t failures, int64_t last_failure,
                     int64_t now) {
  if (failures <= free_failures) return 0;
  int64_t wait = policy.first_wait_seconds;
  for (int64_t i = free_failures + 1; i < failures && wait < policy.longest_wait_seconds; ++i) wait *= 2;
  wait = std::min(wait, policy.longest_wait_seconds);
  return std::max<int64_t>(0, last_failure + wait - now);
}

std::string staff_session_hash(std::string_view secret) { return sha256_hex("staff-session\n" + std::string(secret)); }

Result<SignInResult> sign_in_staff(StaffStore& store, std::string_view name_or_email, std::string_view password,
                                   const std::string& client, int64_t now, const SignInPolicy& policy) {
  SignInResult out;
  auto key = staff_sign_in_key(name_or_email);
  std::optional<StaffAccount> account;
  if (key) {
    auto found = store.staff_account_by_key(*key);
    if (found) {
      account = std::move(found).value();
    } else if (found.error().code != ErrorCode::kNotFound) {
      return found.error();
    }
  }
  // A user name and an email address of one account count together; an unknown name by itself.
  const std::string name_key = account ? "account:" + std::to_string(account->user.id) : "name:" + key.value_or("");
  const std::string client_key = "client:" + client;
  const int64_t forget_before = now - policy.forget_after_seconds;
  auto failures = store.sign_in_failures({name_key, client_key}, forget_before);
  if (!failures) return failures.error();
  for (const auto& f : *failures) {
    int64_t free = f.key == client_key ? policy.free_client_failures : policy.free_account_failures;
    out.retry_after = std::max(out.retry_after, sign_in_wait(policy, free, f.failures, f.last_failure, now));
  }
  if (out.retry_after > 0) {
    out.outcome = SignInOutcome::kThrottled;
    return out;
  }
  bool matches = verify_password(account ? account->password_hash : decoy_password_hash(), password);
  if (!account || !matches) {
    if (auto st = store.record_sign_in_failure({name_key, client_key}, now, forget_before); !st) return st.error();
    out.outcome = SignInOutcome::kRefused;
    return out;
  }
  // Only someone who knows the password learns that the account is disabled.
  if (!account->disabled_at.empty()) {
    out.outcome = SignInOutcome::kDisabled;
    return out;
  }
  if (auto st = store.clear_sign_in_failures({name_key}); !st) return st.error();
  if (password_needs_rehash(account->password_hash)) {
    if (auto hash = hash_password(password)) (void)store.set_staff_password(account->user.id, *hash, nullptr);
  }
  out.session_secret = new_bearer_token();
  StaffSession s;
  s.hash = staff_session_hash(out.session_secret);
  s.user_id = account->user.id;
  s.client = client;
  s.created_at = s.last_seen_at = now;
  s.expires_at = now + policy.session_seconds;
  auto stored = store.put_staff_session(s);
  if (!stored) return stored.error();
  out.session = std::move(stored).value();
  out.user = account->user;
  out.outcome = SignInOutcome::kSignedIn;
  return out;
}

Result<SignedInStaff> staff_of_session(StaffStore& store, std::string_view secret, int64_t now, const SignInPolicy& policy) {
  if (secret.size() != 64) return Error{ErrorCode::kNotFound, "session", "no such session"};
  return store.staff_session(staff_session_hash(secret), now, policy.idle_seconds);
}

}  // namespace townhall
