// The staff console in process: every /staff/ route × every staff role against an independently
// written matrix, CSRF refusals, sign-in back-off, session cookies, sessions and the
// consultations pages.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "in_process.h"
#include "townhall/access/staff.h"
#include "townhall/access/token.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/demo/demo.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

constexpr const char* kPassword = "a long staff password";

// Written from the issue (officers run consultations; governance staff read them; admins do
// everything), not from the route table. "signed_out" is a browser without a console session.
const std::map<std::string, std::set<std::string>>& staff_matrix() {
  static const std::map<std::string, std::set<std::string>> m = {
      {"GET /staff/sign-in", {"signed_out", "officer", "governance", "admin"}},
      {"POST /staff/sign-in", {"signed_out", "officer", "governance", "admin"}},
      {"POST /staff/sign-out", {"officer", "governance", "admin"}},
      {"GET /staff/sessions", {"officer", "governance", "admin"}},
      {"POST /staff/sessions/{session_id}/end", {"officer", "governance", "admin"}},
      {"GET /staff", {"officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}", {"officer", "governance", "admin"}},
      {"POST /staff/consultations/{id}/transitions", {"officer", "admin"}},
  };
  return m;
}

std::string header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

std::string set_cookie(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0) return v;
  return "";
}

std::string csrf_of(const std::string& html) {
  std::smatch m;
  static const std::regex re(R"re(name="csrf" value="([0-9a-f]{64})")re");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

std::string form_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

nlohmann::json eight_weeks() {
  return {{"title", "Library opening hours"},
          {"big_decision", true},
          {"opens", "2026-03-02"},
          {"closes", "2026-04-27"},
          {"summary", "We want to change library opening hours."},
          {"proposal", "Open on Saturday afternoons."},
          {"reasons", "Money is short."},
          {"options_considered",
           {{{"option", "Keep the hours"}},
            {{"option", "Close on Mondays"}, {"rejected", true}, {"reason", "Fewer people could visit."}}}},
          {"channels", {"online", "paper"}}};
}

// A browser: keeps its cookies as a browser would (by name; Max-Age=0 deletes).
struct Browser {
  std::map<std::string, std::string> cookies;
  std::string client = "192.0.2.10";
  std::string forwarded_proto;

  std::string cookie_header() const {
    std::string out;
    for (const auto& [k, v] : cookies) out += (out.empty() ? "" : "; ") + k + "=" + v;
    return out;
  }
  void keep(const HttpResponse& r) {
    for (const auto& [k, v] : r.headers) {
      if (k != "Set-Cookie") continue;
      std::string pair = v.substr(0, v.find(';'));
      std::string name = pair.substr(0, pair.find('='));
      if (v.find("Max-Age=0") != std::string::npos) cookies.erase(name);
      else cookies[name] = pair.substr(pair.find('=') + 1);
    }
  }
};

class StaffConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-staff");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    make_api({});
    for (auto [role, username] : {std::pair{Role::kOfficer, "olivia"}, std::pair{Role::kGovernance, "gwen"},
                                  std::pair{Role::kAdmin, "adam"}}) {
      NewStaffAccount n;
      n.role = role;
      n.username = username;
      n.name = std::string(username) + " (test)";
      n.email = std::string(username) + "@example.gov.uk";
      auto a = add_staff_account(*store, n, kPassword, hash_token(new_bearer_token()), Actor::system("test"));
      ASSERT_TRUE(a.ok()) << a.error().describe();
      users[role_id(role)] = a->user;
    }
  }
  void make_api(ApiOptions o) {
    api.reset();
    o.now_seconds = [this] { return clock; };
    o.today = [] { return Date::from_ymd(2026, 1, 5); };
    api = std::make_unique<Api>(*store, o);
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(Browser& b, const std::string& method, const std::string& target, const std::string& body = "") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.cookie = b.cookie_header();
    r.client_address = b.client;
    r.forwarded_proto = b.forwarded_proto;
    r.body = body;
    if (method == "POST") r.content_type = "application/x-www-form-urlencoded";
    HttpResponse out = testing::handle_and_wait(*api, r);
    b.keep(out);
    return out;
  }

  // Signs in through the pages; the answer to the POST.
  HttpResponse sign_in(Browser& b, const std::string& name, const std::string& password) {
    auto form = call(b, "GET", "/staff/sign-in");
    EXPECT_EQ(form.status, 200);
    return call(b, "POST", "/staff/sign-in",
                "csrf=" + csrf_of(form.body) + "&name=" + form_escape(name) + "&password=" + form_escape(password));
  }

  // A browser signed in as `role` without going through the password (fast): a session stored as
  // sign_in_staff stores one.
  Browser session_for(const std::string& role) {
    Browser b;
    std::string secret = new_bearer_token();
    StaffSession s;
    s.hash = staff_session_hash(secret);
    s.user_id = users.at(role).id;
    s.client = b.client;
    s.created_at = s.last_seen_at = clock;
    s.expires_at = clock + 3600;
    EXPECT_TRUE(store->put_staff_session(s).ok());
    b.cookies["th_staff"] = secret;
    return b;
  }

  std::string dir;
  int64_t clock = 1'800'000'000;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  std::map<std::string, User> users;
};

TEST_F(StaffConsoleTest, EveryStaffRouteTimesEveryRoleMatchesTheMatrix) {
  std::set<std::string> served;
  for (const auto& r : api->routes()) {
    if (r.pattern == "/staff" || r.pattern.rfind("/staff/", 0) == 0) served.insert(r.method + " " + r.pattern);
  }
  std::set<std::string> expected;
  for (const auto& [k, v] : staff_matrix()) expected.insert(k);
  ASSERT_EQ(served, expected);
  auto c = create_consultation(*store, eight_weeks(), Actor::system("test"));
  ASSERT_TRUE(c.ok());
  int checked = 0;
  for (const auto& [key, allowed] : staff_matrix()) {
    const std::string method = key.substr(0, key.find(' '));
    std::string target = key.substr(key.find(' ') + 1);
    // Unknown ids: the role is decided before the lookup, and nothing is changed.
    if (auto p = target.find("{id}"); p != std::string::npos) target.replace(p, 4, "c-404");
    if (auto p = target.find("{session_id}"); p != std::string::npos) target.replace(p, 12, "999999");
    for (const std::string role : {"signed_out", "officer", "governance", "admin"}) {
      Browser b = role == "signed_out" ? Browser{} : session_for(role);
      // A form's token, as the browser would have it from a page of the console: the sign-in
      // form's from the sign-in page (shown before the browser signed in), the others' from a
      // signed-in page.
      std::string token;
      if (target == "/staff/sign-in" || role == "signed_out") {
        Browser before_sign_in;
        token = csrf_of(call(before_sign_in, "GET", "/staff/sign-in").body);
        b.cookies["th_session"] = before_sign_in.cookies.at("th_session");
      } else {
        token = csrf_of(call(b, "GET", "/staff/sessions").body);
      }
      ASSERT_EQ(token.size(), 64u) << key << " as " << role;
      std::string body = "csrf=" + token + "&to=scheduled&version=1";
      auto res = call(b, method, target, method == "POST" ? body : "");
      EXPECT_EQ(header(res, "Cache-Control"), "private, no-store") << key << " as " << role;
      if (allowed.count(role)) {
        EXPECT_NE(res.status, 403) << key << " as " << role << ": " << res.body;
        EXPECT_NE(header(res, "Location"), "/staff/sign-in") << key << " as " << role;
        EXPECT_LT(res.status, 500) << key << " as " << role;
      } else if (role == "signed_out") {
        EXPECT_EQ(res.status, 303) << key;
        EXPECT_EQ(header(res, "Location"), "/staff/sign-in") << key;
      } else {
        EXPECT_EQ(res.status, 403) << key << " as " << role;
        EXPECT_NE(res.body.find("You cannot use this page"), std::string::npos) << key;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(staff_matrix().size()) * 4);
  // Nothing moved: the draft is still a draft, at its first version.
  auto still = store->get_consultation(c->id);
  EXPECT_EQ(still->status, ConsultationStatus::kDraft);
  EXPECT_EQ(still->version, c->version);
}

TEST_F(StaffConsoleTest, GovernanceStaffSeeNoLifecycleButtonAndCannotPostOne) {
  auto c = create_consultation(*store, eight_weeks(), Actor::system("test"));
  ASSERT_TRUE(c.ok());
  Browser gov = session_for("governance");
  auto page = call(gov, "GET", "/staff/consultations/" + c->id);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("/transitions"), std::string::npos);
  auto post = call(gov, "POST", "/staff/consultations/" + c->id + "/transitions",
                   "csrf=" + csrf_of(page.body) + "&to=scheduled&version=" + std::to_string(c->version));
  EXPECT_EQ(post.status, 403);
  EXPECT_EQ(store->get_consultation(c->id)->status, ConsultationStatus::kDraft);
}

TEST_F(StaffConsoleTest, FormsWithoutTheSessionsCsrfTokenAreRefusedAndChangeNothing) {
  auto c = create_consultation(*store, eight_weeks(), Actor::system("test"));
  ASSERT_TRUE(c.ok());
  Browser olivia = session_for("officer");
  Browser adam = session_for("admin");
  const std::string target = "/staff/consultations/" + c->id + "/transitions";
  const std::string fields = "&to=scheduled&version=" + std::to_string(c->version);
  auto page = call(olivia, "GET", "/staff/consultations/" + c->id);
  ASSERT_EQ(page.status, 200);
  const std::string token = csrf_of(page.body);
  ASSERT_EQ(token.size(), 64u);
  const std::string other = csrf_of(call(adam, "GET", "/staff/consultations/" + c->id).body);
  ASSERT_NE(other, token);
  for (const std::string& body : {fields.substr(1), "csrf=" + fields, "csrf=" + std::string(64, '0') + fields,
                                  "csrf=" + other + fields}) {
    auto r = call(olivia, "POST", target, body);
    EXPECT_EQ(r.status, 403) << body;
    EXPECT_NE(r.body.find("Nothing was changed"), std::string::npos);
  }
  EXPECT_EQ(store->get_consultation(c->id)->status, ConsultationStatus::kDraft);
  // Sign-out and ending a session need it too.
  EXPECT_EQ(call(olivia, "POST", "/staff/sign-out", "").status, 403);
  EXPECT_EQ(call(olivia, "GET", "/staff").status, 200);
  // The sign-in form is bound to the browser's own session cookie.
  Browser stranger;
  auto r = call(stranger, "POST", "/staff/sign-in", "csrf=" + token + "&name=olivia&password=" + form_escape(kPassword));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(set_cookie(r, "th_staff"), "");
  // With its token the step goes through the core, recorded with the officer's identity.
  auto ok = call(olivia, "POST", target, "csrf=" + token + fields);
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(header(ok, "Location"), "/staff/consultations/" + c->id);
  EXPECT_EQ(store->get_consultation(c->id)->status, ConsultationStatus::kScheduled);
  auto log = store->audit_entries();
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().event.action, "consultation.transition");
  EXPECT_EQ(log->back().event.actor, Actor::of(users.at("officer")).who);
  // And the item's page shows it in its audit trail.
  auto after = call(olivia, "GET", "/staff/consultations/" + c->id);
  EXPECT_NE(after.body.find("olivia (test), officer"), std::string::npos);
}

TEST_F(StaffConsoleTest, SignInSetsAStrictHttpOnlyCookieSecureOverHttps) {
  Browser b;
  auto r = sign_in(b, "OLIVIA@example.gov.uk", kPassword);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(header(r, "Location"), "/staff");
  std::string c = set_cookie(r, "th_staff");
  EXPECT_NE(c.find("HttpOnly"), std::string::npos) << c;
  EXPECT_NE(c.find("SameSite=Strict"), std::string::npos) << c;
  EXPECT_NE(c.find("Path=/staff"), std::string::npos) << c;
  EXPECT_EQ(c.find("Secure"), std::string::npos) << c;
  // The database holds only the secret's hash.
  const std::string secret = b.cookies.at("th_staff");
  auto sessions = store->staff_sessions(users.at("officer").id, clock, 1800);
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].hash, staff_session_hash(secret));
  EXPECT_NE((*sessions)[0].hash, secret);
  auto home = call(b, "GET", "/staff");
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("olivia (test)"), std::string::npos);

  // Behind a trusted proxy that says HTTPS, and with an https public address: Secure.
  ApiOptions proxied;
  proxied.trusted_proxies = {"127.0.0.1"};
  make_api(proxied);
  Browser p;
  p.client = "127.0.0.1";
  p.forwarded_proto = "https";
  EXPECT_NE(set_cookie(sign_in(p, "olivia", kPassword), "th_staff").find("; Secure"), std::string::npos);
  Browser spoofing;  // not a trusted proxy: its header is not believed
  spoofing.forwarded_proto = "https";
  EXPECT_EQ(set_cookie(sign_in(spoofing, "olivia", kPassword), "th_staff").find("Secure"), std::string::npos);
  ApiOptions https;
  https.public_url = "https://haveyoursay.example.gov.uk";
  make_api(https);
  Browser h;
  EXPECT_NE(set_cookie(sign_in(h, "olivia", kPassword), "th_staff").find("; Secure"), std::string::npos);
}

TEST_F(StaffConsoleTest, AnAccountIsLockedOutAfterRepeatedFailedSignIns) {
  const SignInPolicy policy;
  Browser b;
  for (int i = 0; i < policy.free_account_failures + 1; ++i) {
    b.client = "198.51.100." + std::to_string(i);  // from many places: the account is what counts
    auto r = sign_in(b, "olivia", "wrong password " + std::to_string(i));
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("Enter a correct user name or email address and password"), std::string::npos);
    EXPECT_EQ(set_cookie(r, "th_staff"), "");
  }
  b.client = "203.0.113.7";
  auto locked = sign_in(b, "olivia", kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(header(locked, "Retry-After"), std::to_string(policy.first_wait_seconds));
  EXPECT_NE(locked.body.find("too many failed attempts"), std::string::npos);
  EXPECT_EQ(set_cookie(locked, "th_staff"), "");
  EXPECT_EQ(header(locked, "Cache-Control"), "private, no-store");
  // A name that has no account answers exactly the same, so the lock reveals nothing.
  Browser guesser;
  for (int i = 0; i < policy.free_account_failures + 1; ++i) {
    guesser.client = "198.51.100." + std::to_string(50 + i);
    EXPECT_EQ(sign_in(guesser, "nobody-here", "wrong password").status, 422);
  }
  guesser.client = "203.0.113.8";
  auto unknown = sign_in(guesser, "nobody-here", kPassword);
  EXPECT_EQ(unknown.status, 429);
  EXPECT_EQ(header(unknown, "Retry-After"), header(locked, "Retry-After"));
  // After the wait, the right password signs in.
  clock += policy.first_wait_seconds;
  EXPECT_EQ(sign_in(b, "olivia", kPassword).status, 303);
}

TEST_F(StaffConsoleTest, SessionsAreListedAndCanBeEndedAndSignOutEndsThisOne) {
  Browser laptop, phone;
  phone.client = "192.0.2.99";
  ASSERT_EQ(sign_in(laptop, "olivia", kPassword).status, 303);
  clock += 120;
  ASSERT_EQ(sign_in(phone, "olivia", kPassword).status, 303);
  auto page = call(laptop, "GET", "/staff/sessions");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("192.0.2.99"), std::string::npos);
  EXPECT_NE(page.body.find("This browser"), std::string::npos);
  auto sessions = store->staff_sessions(users.at("officer").id, clock, 1800);
  ASSERT_EQ(sessions->size(), 2u);
  const int64_t phone_id = (*sessions)[0].id;  // newest first
  // Another member cannot end it.
  Browser adam = session_for("admin");
  auto adams = call(adam, "GET", "/staff/sessions");
  EXPECT_EQ(call(adam, "POST", "/staff/sessions/" + std::to_string(phone_id) + "/end", "csrf=" + csrf_of(adams.body)).status,
            404);
  EXPECT_EQ(call(phone, "GET", "/staff").status, 200);
  // Its owner can, from the laptop: the phone is signed out.
  auto end = call(laptop, "POST", "/staff/sessions/" + std::to_string(phone_id) + "/end", "csrf=" + csrf_of(page.body));
  EXPECT_EQ(end.status, 303);
  EXPECT_EQ(header(end, "Location"), "/staff/sessions");
  auto gone = call(phone, "GET", "/staff");
  EXPECT_EQ(gone.status, 303);
  EXPECT_EQ(header(gone, "Location"), "/staff/sign-in");
  // Signing out ends the laptop's session and clears its cookie.
  auto home = call(laptop, "GET", "/staff");
  ASSERT_EQ(home.status, 200);
  const std::string secret = laptop.cookies.at("th_staff");
  auto out = call(laptop, "POST", "/staff/sign-out", "csrf=" + csrf_of(home.body));
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(set_cookie(out, "th_staff").find("Max-Age=0"), std::string::npos);
  laptop.cookies["th_staff"] = secret;  // even a browser that kept it
  EXPECT_EQ(header(call(laptop, "GET", "/staff"), "Location"), "/staff/sign-in");
  EXPECT_TRUE(store->staff_sessions(users.at("officer").id, clock, 1800)->empty());
}

TEST_F(StaffConsoleTest, ConsultationsListShowsStatusDatesResponsesAndFindingsFromTheCore) {
  auto seeded = seed_demo(*store, Date::from_ymd(2026, 1, 5));
  ASSERT_TRUE(seeded.ok()) << seeded.error().describe();
  Browser b = session_for("governance");
  auto page = call(b, "GET", "/staff");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(header(page, "Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  ConsultationQuery q;
  q.limit = 100;
  auto all = store->list_consultations(q);
  ASSERT_EQ(all->total, seeded->consultations);
  for (const auto& rec : all->items) {
    const std::string title = rec.document.value("title", "");
    size_t at = page.body.find("/staff/consultations/" + rec.id + "\"");
    ASSERT_NE(at, std::string::npos) << rec.id;
    size_t row_end = page.body.find("</tr>", at);
    std::string row = page.body.substr(at, row_end - at);
    EXPECT_NE(row.find(std::to_string(*store->count_responses(rec.id)) + "</td>"), std::string::npos) << row;
    auto findings = consultation_findings(*store, rec, CharterPolicy::defaults(), Date::from_ymd(2026, 1, 5));
    ASSERT_TRUE(findings.ok());
    for (const auto& f : *findings) {
      if (f.severity != Severity::kInfo) {
        EXPECT_NE(row.find(f.rule), std::string::npos) << rec.id << " " << f.rule << row;
      }
    }
  }
  // The demo's draft breaches C-MIN: the list says so, and scheduling it is refused naming it.
  ConsultationQuery drafts;
  drafts.statuses = std::vector<ConsultationStatus>{ConsultationStatus::kDraft};
  auto draft = store->list_consultations(drafts);
  ASSERT_EQ(draft->items.size(), 1u);
  const auto& d = draft->items[0];
  Browser olivia = session_for("officer");
  auto item = call(olivia, "GET", "/staff/consultations/" + d.id);
  ASSERT_EQ(item.status, 200);
  EXPECT_NE(item.body.find(">Schedule</button>"), std::string::npos);
  auto refused = call(olivia, "POST", "/staff/consultations/" + d.id + "/transitions",
                      "csrf=" + csrf_of(item.body) + "&to=scheduled&version=" + std::to_string(d.version));
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("C-MIN"), std::string::npos);
  EXPECT_NE(refused.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_EQ(store->get_consultation(d.id)->status, ConsultationStatus::kDraft);
  // A page number past the end is a 404 page, a bad one too.
  EXPECT_EQ(call(b, "GET", "/staff?page=abc").status, 404);
}

}  // namespace
}  // namespace townhall::server
