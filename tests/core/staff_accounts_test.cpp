// Staff accounts, passwords, sign-in back-off and console sessions (townhall/access/staff.h) over
// every store backend (store_backends.h).
#include <gtest/gtest.h>

#include <sodium.h>

#include "store_backends.h"
#include "townhall/access/password.h"
#include "townhall/access/staff.h"
#include "townhall/access/token.h"

namespace townhall {
namespace {


const Actor kAdmin = Actor::system("test");
constexpr const char* kPassword = "correct horse battery";

NewStaffAccount officer(std::string username, std::string email = "") {
  NewStaffAccount n;
  n.role = Role::kOfficer;
  n.name = "Ada Lovelace";
  n.username = std::move(username);
  n.email = std::move(email);
  return n;
}

// The store tests of this file run on every backend.
class StaffAccounts : public testing_store::StoreConformance {};

TEST(Passwords, ArgonHashVerifiesOnlyThePassword) {
  auto h = hash_password(kPassword);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(verify_password(*h, kPassword));
  EXPECT_FALSE(verify_password(*h, "correct horse battery "));
  EXPECT_FALSE(verify_password("not a hash", kPassword));
  EXPECT_FALSE(password_needs_rehash(*h));
  // Two hashes of one password differ (a random salt each).
  EXPECT_NE(*hash_password(kPassword), *h);
}

TEST(Passwords, WeakerParametersNeedARehash) {
  char old[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str(old, kPassword, std::strlen(kPassword), crypto_pwhash_OPSLIMIT_MIN,
                              crypto_pwhash_MEMLIMIT_MIN),
            0);
  EXPECT_TRUE(verify_password(old, kPassword));
  EXPECT_TRUE(password_needs_rehash(old));
}

TEST(Passwords, NewPasswordsAreLongEnough) {
  EXPECT_FALSE(check_new_password("short"));
  EXPECT_EQ(check_new_password("short").error().field, "password");
  EXPECT_FALSE(check_new_password(std::string(2000, 'x')));
  EXPECT_FALSE(check_new_password("\xff\xfe long enough text"));
  EXPECT_TRUE(check_new_password("twelve chars"));
  // Characters, not bytes: twelve Welsh letters with circumflexes.
  EXPECT_TRUE(check_new_password("ŵŷâêîôûŵŷâêî"));
  EXPECT_FALSE(check_new_password("ŵŷâêîôû"));
}

TEST_P(StaffAccounts, NamesAndAddressesAreUniqueIgnoringCase) {
  auto s = open();
  auto a = add_staff_account(*s, officer("Ada.L", "Ada@Example.gov.uk"), kPassword, hash_token("t1"), kAdmin);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_EQ(a->username, "Ada.L");
  EXPECT_EQ(a->user.role, Role::kOfficer);
  auto same_name = add_staff_account(*s, officer("ada.l"), kPassword, hash_token("t2"), kAdmin);
  ASSERT_FALSE(same_name.ok());
  EXPECT_EQ(same_name.error().code, ErrorCode::kConflict);
  EXPECT_EQ(same_name.error().field, "username");
  auto same_email = add_staff_account(*s, officer("grace", " ADA@example.GOV.uk"), kPassword, hash_token("t3"), kAdmin);
  ASSERT_FALSE(same_email.ok());
  EXPECT_EQ(same_email.error().field, "email");
  // Nothing of the refused accounts was stored: their bearer tokens give no user.
  EXPECT_FALSE(s->user_by_token_hash(hash_token("t2")));
  EXPECT_FALSE(s->user_by_token_hash(hash_token("t3")));
  // The account's user is the API's user too, and the audit log names who added it.
  EXPECT_EQ(s->user_by_token_hash(hash_token("t1"))->id, a->user.id);
  auto log = s->audit_entries();
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().event.action, "user.add");
  EXPECT_EQ(log->back().event.subject_id, std::to_string(a->user.id));
  EXPECT_EQ(log->back().event.detail.dump().find(kPassword), std::string::npos);
  // Found by user name or email address, in any case.
  EXPECT_EQ(s->staff_account_by_key(*staff_sign_in_key("ADA.l"))->user.id, a->user.id);
  EXPECT_EQ(s->staff_account_by_key(*staff_sign_in_key("ada@EXAMPLE.gov.uk"))->user.id, a->user.id);
}

TEST_P(StaffAccounts, BadAccountsAreRefusedNamingTheField) {
  auto s = open();
  NewStaffAccount member = officer("pm");
  member.role = Role::kPanelMember;
  EXPECT_EQ(add_staff_account(*s, member, kPassword, hash_token("a"), kAdmin).error().field, "role");
  EXPECT_EQ(add_staff_account(*s, officer("has space"), kPassword, hash_token("b"), kAdmin).error().field, "username");
  EXPECT_EQ(add_staff_account(*s, officer("a@b.c"), kPassword, hash_token("c"), kAdmin).error().field, "username");
  EXPECT_EQ(add_staff_account(*s, officer("x"), kPassword, hash_token("d"), kAdmin).error().field, "username");
  EXPECT_EQ(add_staff_account(*s, officer("grace", "not-an-address"), kPassword, hash_token("e"), kAdmin).error().field,
            "email");
  EXPECT_EQ(add_staff_account(*s, officer("grace"), "short", hash_token("f"), kAdmin).error().field, "password");
  EXPECT_TRUE(add_staff_account(*s, officer("grace"), kPassword, hash_token("g"), kAdmin).ok());
}

class SignIn : public testing_store::StoreConformance {
 protected:
  void SetUp() override {
    StoreConformance::SetUp();
    if (IsSkipped()) return;
    s = open();
    auto a = add_staff_account(*s, officer("ada", "ada@example.gov.uk"), kPassword, hash_token("t"), kAdmin);
    ASSERT_TRUE(a.ok());
    id = a->user.id;
  }
  SignInResult attempt(const std::string& name, const std::string& password, const std::string& client = "192.0.2.1") {
    auto r = sign_in_staff(*s, name, password, client, now, policy);
    EXPECT_TRUE(r.ok()) << r.error().describe();
    return std::move(r).value();
  }
  void TearDown() override {
    s.reset();
    StoreConformance::TearDown();
  }
  std::unique_ptr<Store> s;
  int64_t id = 0;
  int64_t now = 1'800'000'000;
  // Fewer free failures than the default, so the tests hash fewer passwords (each is slow on purpose).
  SignInPolicy policy = [] {
    SignInPolicy p;
    p.free_account_failures = 2;
    p.free_client_failures = 4;
    return p;
  }();
};

TEST_P(SignIn, RightPasswordSignsInAndStoresOnlyTheSessionHash) {
  auto r = attempt("ADA@example.gov.uk", kPassword);
  ASSERT_EQ(r.outcome, SignInOutcome::kSignedIn);
  EXPECT_EQ(r.user.id, id);
  EXPECT_EQ(r.session_secret.size(), 64u);
  EXPECT_EQ(r.session.hash, staff_session_hash(r.session_secret));
  EXPECT_NE(r.session.hash, r.session_secret);
  auto who = staff_of_session(*s, r.session_secret, now + 10);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->user.id, id);
  EXPECT_EQ(who->user.role, Role::kOfficer);
  EXPECT_EQ(who->session.client, "192.0.2.1");
}

TEST_P(SignIn, WrongPasswordAndUnknownNameAreTheSameRefusal) {
  EXPECT_EQ(attempt("ada", "wrong password here").outcome, SignInOutcome::kRefused);
  EXPECT_EQ(attempt("nobody", kPassword).outcome, SignInOutcome::kRefused);
}

TEST_P(SignIn, AnAccountIsLockedAfterRepeatedFailuresEvenWithTheRightPassword) {
  for (int i = 0; i < policy.free_account_failures + 1; ++i) {
    // Alternating user name and address: they count against the one account.
    EXPECT_EQ(attempt(i % 2 ? "ada" : "ada@example.gov.uk", "guess " + std::to_string(i), "198.51.100." + std::to_string(i)).outcome,
              SignInOutcome::kRefused);
  }
  auto locked = attempt("ada", kPassword, "203.0.113.9");
  EXPECT_EQ(locked.outcome, SignInOutcome::kThrottled);
  EXPECT_EQ(locked.retry_after, policy.first_wait_seconds);
  EXPECT_TRUE(locked.session_secret.empty());
  // Once the wait is over the right password signs in, and the count starts again.
  now += policy.first_wait_seconds;
  EXPECT_EQ(attempt("ada", kPassword, "203.0.113.9").outcome, SignInOutcome::kSignedIn);
  EXPECT_EQ(attempt("ada", "wrong again", "203.0.113.9").outcome, SignInOutcome::kRefused);
}

TEST_P(SignIn, WaitsDoubleUpToTheLimit) {
  policy = SignInPolicy{};
  EXPECT_EQ(sign_in_wait(policy, 5, 5, now, now), 0);
  EXPECT_EQ(sign_in_wait(policy, 5, 6, now, now), 60);
  EXPECT_EQ(sign_in_wait(policy, 5, 7, now, now), 120);
  EXPECT_EQ(sign_in_wait(policy, 5, 8, now, now + 100), 140);
  EXPECT_EQ(sign_in_wait(policy, 5, 60, now, now), 3600);
}

TEST_P(SignIn, AnUnknownNameIsLockedExactlyLikeAKnownOne) {
  for (int i = 0; i < policy.free_account_failures + 1; ++i) {
    attempt("ada", "wrong", "198.51.100." + std::to_string(i));
    attempt("nobody", "wrong", "198.51.100." + std::to_string(i));
  }
  auto known = attempt("ada", "wrong", "203.0.113.9");
  auto unknown = attempt("nobody", "wrong", "203.0.113.9");
  EXPECT_EQ(known.outcome, SignInOutcome::kThrottled);
  EXPECT_EQ(unknown.outcome, SignInOutcome::kThrottled);
  EXPECT_EQ(known.retry_after, unknown.retry_after);
}

TEST_P(SignIn, OneClientTryingManyNamesIsSlowedDown) {
  for (int i = 0; i < policy.free_client_failures + 1; ++i) {
    EXPECT_EQ(attempt("user" + std::to_string(i), "wrong", "192.0.2.50").outcome, SignInOutcome::kRefused);
  }
  EXPECT_EQ(attempt("ada", kPassword, "192.0.2.50").outcome, SignInOutcome::kThrottled);
  EXPECT_EQ(attempt("ada", kPassword, "192.0.2.51").outcome, SignInOutcome::kSignedIn);
  // Failures a day old are forgotten.
  now += policy.forget_after_seconds + 1;
  EXPECT_EQ(attempt("ada", kPassword, "192.0.2.50").outcome, SignInOutcome::kSignedIn);
}

TEST_P(SignIn, SessionsEndWhenIdleOrOldAndCanBeEnded) {
  auto a = attempt("ada", kPassword);
  now += 60;
  auto b = attempt("ada", kPassword, "192.0.2.2");
  auto list = s->staff_sessions(id, now, policy.idle_seconds);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, b.session.id);  // newest first
  // Used within the idle time, a session lives on (and its idle time starts again); unused, it ends.
  EXPECT_TRUE(staff_of_session(*s, a.session_secret, now - 60 + policy.idle_seconds - 1, policy).ok());
  EXPECT_TRUE(staff_of_session(*s, a.session_secret, now + policy.idle_seconds - 1, policy).ok());
  EXPECT_FALSE(staff_of_session(*s, b.session_secret, now + policy.idle_seconds, policy).ok());
  // Ended by its owner only.
  EXPECT_EQ(s->delete_staff_session(id + 1, a.session.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(s->delete_staff_session(id, a.session.id).ok());
  EXPECT_FALSE(staff_of_session(*s, a.session_secret, now + policy.idle_seconds - 1, policy).ok());
  // However busy, a session ends session_seconds after sign-in.
  auto c = attempt("ada", kPassword);
  int64_t t = now;
  while (t + policy.idle_seconds / 2 < now + policy.session_seconds) {
    t += policy.idle_seconds / 2;
    ASSERT_TRUE(staff_of_session(*s, c.session_secret, t, policy).ok()) << t - now;
  }
  EXPECT_FALSE(staff_of_session(*s, c.session_secret, now + policy.session_seconds, policy).ok());
  EXPECT_FALSE(staff_of_session(*s, "not a secret", now).ok());
}

TEST_P(SignIn, PasswordsCanBeChangedAndOutdatedHashesAreReplaced) {
  ASSERT_TRUE(set_staff_password(*s, "ADA", "a new long password", kAdmin));
  EXPECT_EQ(attempt("ada", kPassword).outcome, SignInOutcome::kRefused);
  EXPECT_EQ(attempt("ada", "a new long password").outcome, SignInOutcome::kSignedIn);
  EXPECT_EQ(set_staff_password(*s, "nobody", "a new long password", kAdmin).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(set_staff_password(*s, "ada", "short", kAdmin).error().field, "password");
  // A hash made with weaker parameters is replaced at the next sign-in.
  char old[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str(old, kPassword, std::strlen(kPassword), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
  ASSERT_TRUE(s->set_staff_password(id, old, nullptr));
  EXPECT_EQ(attempt("ada", kPassword).outcome, SignInOutcome::kSignedIn);
  EXPECT_FALSE(password_needs_rehash(s->staff_account_by_key("ada")->password_hash));
}

// An administrator disables a member of staff who has left: the account keeps its name (the audit
// trail still says who did what) but signs in no more, its open sessions end and its bearer token
// stops working; enabling it again lets the same password in.
TEST_P(SignIn, DisablingAnAccountEndsItsSessionsAndStopsItsTokenAndSignIn) {
  NewStaffAccount boss{Role::kAdmin, "Grace Hopper", "grace", ""};
  auto admin = add_staff_account(*s, boss, kPassword, hash_token("admin-token"), kAdmin);
  ASSERT_TRUE(admin.ok()) << admin.error().describe();
  auto open_session = attempt("ada", kPassword);
  ASSERT_EQ(open_session.outcome, SignInOutcome::kSignedIn);
  ASSERT_TRUE(s->user_by_token_hash(hash_token("t")).has_value());

  ASSERT_TRUE(change_staff_account(*s, id, Role::kOfficer, true, admin->user).ok());
  EXPECT_FALSE(s->staff_account(id)->disabled_at.empty());
  EXPECT_EQ(staff_of_session(*s, open_session.session_secret, now + 5).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(s->user_by_token_hash(hash_token("t")).has_value());
  EXPECT_EQ(attempt("ada", kPassword).outcome, SignInOutcome::kDisabled);
  // A wrong password is the plain refusal: only the password's owner learns the account is disabled.
  EXPECT_EQ(attempt("ada", "a wrong password here").outcome, SignInOutcome::kRefused);

  ASSERT_TRUE(change_staff_account(*s, id, Role::kOfficer, false, admin->user).ok());
  EXPECT_TRUE(s->staff_account(id)->disabled_at.empty());
  EXPECT_TRUE(s->user_by_token_hash(hash_token("t")).has_value());
  EXPECT_EQ(attempt("ada", kPassword).outcome, SignInOutcome::kSignedIn);
}

TEST_P(SignIn, RolesChangeButNobodyChangesThemselvesAndAnAdministratorIsAlwaysLeft) {
  NewStaffAccount boss{Role::kAdmin, "Grace Hopper", "grace", ""};
  auto grace = add_staff_account(*s, boss, kPassword, hash_token("admin-token"), kAdmin);
  ASSERT_TRUE(grace.ok());
  ASSERT_TRUE(change_staff_account(*s, id, Role::kGovernance, false, grace->user).ok());
  EXPECT_EQ(s->staff_account(id)->user.role, Role::kGovernance);
  EXPECT_EQ(change_staff_account(*s, id, Role::kPanelMember, false, grace->user).error().field, "role");
  // Grace may not demote or disable herself...
  EXPECT_EQ(change_staff_account(*s, grace->user.id, Role::kOfficer, false, grace->user).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(change_staff_account(*s, grace->user.id, Role::kAdmin, true, grace->user).error().field, "disabled");
  // ...and Ada, made an administrator, may not leave the console with none: the store refuses
  // and changes nothing. (Ada is an administrator now, so demoting Grace leaves Ada; then
  // disabling Ada would leave nobody.)
  ASSERT_TRUE(change_staff_account(*s, id, Role::kAdmin, false, grace->user).ok());
  ASSERT_TRUE(change_staff_account(*s, grace->user.id, Role::kOfficer, false, s->staff_account(id)->user).ok());
  auto last = change_staff_account(*s, id, Role::kAdmin, true, grace->user);
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(s->staff_account(id)->disabled_at.empty());
  EXPECT_EQ(s->staff_account(id)->user.role, Role::kAdmin);
  // Every change is in the audit log, with who made it.
  auto log = s->audit_entries();
  ASSERT_TRUE(log.ok());
  int changes = 0;
  for (const auto& e : *log) {
    if (e.event.action == "user.change") ++changes;
  }
  EXPECT_EQ(changes, 3);
  auto all = s->staff_accounts();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].username, "ada");  // by user name
  EXPECT_EQ(s->staff_account(424242).error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffAccounts, ::testing::Values("sqlite", "postgresql"),
                         testing_store::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, SignIn, ::testing::Values("sqlite", "postgresql"), testing_store::backend_name);

}  // namespace
}  // namespace townhall
