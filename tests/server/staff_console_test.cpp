// The staff console in process: every /staff/ route × every staff role against an independently
// written matrix, CSRF refusals, sign-in back-off, session cookies, sessions and the
// consultations pages.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "staff_console_fixture.h"
#include "townhall/access/staff.h"
#include "townhall/access/token.h"
#include "townhall/consultations/findings.h"
#include "townhall/compliance/register.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/demo/demo.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

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
      // Exceptions: an officer asks for one; the officer (or administrator) named decides it.
      {"POST /staff/consultations/{id}/exception-requests", {"officer", "admin"}},
      {"GET /staff/exceptions", {"officer", "admin"}},
      {"POST /staff/exceptions/{request_id}/decision", {"officer", "admin"}},
      // The builder, outcome and translation editors change consultations (officers); every staff
      // role may preview one.
      {"GET /staff/consultations/new", {"officer", "admin"}},
      {"POST /staff/consultations/new", {"officer", "admin"}},
      {"GET /staff/consultations/{id}/edit", {"officer", "admin"}},
      {"POST /staff/consultations/{id}/edit", {"officer", "admin"}},
      {"GET /staff/consultations/{id}/preview", {"officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/outcome", {"officer", "admin"}},
      {"POST /staff/consultations/{id}/outcome", {"officer", "admin"}},
      {"GET /staff/consultations/{id}/translations/{lang}", {"officer", "admin"}},
      {"POST /staff/consultations/{id}/translations/{lang}", {"officer", "admin"}},
      // A consultation's responses: every staff role reads them; officers key in paper responses.
      {"GET /staff/consultations/{id}/responses", {"officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/responses/new", {"officer", "admin"}},
      {"POST /staff/consultations/{id}/responses/new", {"officer", "admin"}},
      {"GET /staff/consultations/{id}/responses/{reference}", {"officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/export.csv", {"officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/export.xlsx", {"officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/charts", {"officer", "governance", "admin"}},
      // Governance: every staff role reads the register and the compliance pages; governance changes it.
      {"GET /staff/compliance", {"officer", "governance", "admin"}},
      {"GET /staff/compliance/report", {"officer", "governance", "admin"}},
      {"GET /staff/forward-plan/import", {"governance", "admin"}},
      {"POST /staff/forward-plan/import", {"governance", "admin"}},
      {"GET /staff/forward-plan", {"officer", "governance", "admin"}},
      {"GET /staff/forward-plan/new", {"governance", "admin"}},
      {"POST /staff/forward-plan/new", {"governance", "admin"}},
      {"GET /staff/forward-plan/{id}", {"officer", "governance", "admin"}},
      {"POST /staff/forward-plan/{id}", {"governance", "admin"}},
      {"GET /staff/forward-plan/{id}/withdraw", {"governance", "admin"}},
      {"POST /staff/forward-plan/{id}/withdraw", {"governance", "admin"}},
      {"GET /staff/forward-plan/{id}/exceptions", {"officer", "governance", "admin"}},
      {"POST /staff/forward-plan/{id}/exceptions", {"governance", "admin"}},
      {"GET /staff/meetings", {"officer", "governance", "admin"}},
      {"GET /staff/meetings/new", {"governance", "admin"}},
      {"POST /staff/meetings/new", {"governance", "admin"}},
      {"GET /staff/meetings/{id}", {"officer", "governance", "admin"}},
      {"POST /staff/meetings/{id}", {"governance", "admin"}},
      {"GET /staff/meetings/{id}/withdraw", {"governance", "admin"}},
      {"POST /staff/meetings/{id}/withdraw", {"governance", "admin"}},
      {"GET /staff/urgency-reports", {"officer", "governance", "admin"}},
      {"GET /staff/urgency-reports/new", {"governance", "admin"}},
      {"POST /staff/urgency-reports/new", {"governance", "admin"}},
      {"GET /staff/urgency-reports/{id}", {"officer", "governance", "admin"}},
      {"POST /staff/urgency-reports/{id}", {"governance", "admin"}},
      {"GET /staff/urgency-reports/{id}/withdraw", {"governance", "admin"}},
      {"POST /staff/urgency-reports/{id}/withdraw", {"governance", "admin"}},
      // The Citizens' Panel: officers (and admins) run it; governance staff do not see its members.
      {"GET /staff/panel", {"officer", "admin"}},
      {"GET /staff/panel/recruitment", {"officer", "admin"}},
      {"GET /staff/panel/contact-limits", {"officer", "admin"}},
      {"GET /staff/panel/outbox", {"officer", "admin"}},
      {"GET /staff/panel/draws", {"officer", "admin"}},
      {"POST /staff/panel/draws", {"officer", "admin"}},
      {"GET /staff/panel/draws/{id}", {"officer", "admin"}},
      {"POST /staff/panel/draws/{id}/invite", {"officer", "admin"}},
      {"GET /staff/referrals", {"officer", "governance", "admin"}},
      {"GET /staff/referrals/new", {"governance", "admin"}},
      {"POST /staff/referrals/new", {"governance", "admin"}},
      {"GET /staff/referrals/{id}", {"officer", "governance", "admin"}},
      {"POST /staff/referrals/{id}", {"governance", "admin"}},
      {"GET /staff/referrals/{id}/withdraw", {"governance", "admin"}},
      {"POST /staff/referrals/{id}/withdraw", {"governance", "admin"}},
      // Staff accounts are managed by administrators only.
      {"GET /staff/accounts", {"admin"}},
      {"GET /staff/accounts/new", {"admin"}},
      {"POST /staff/accounts/new", {"admin"}},
      {"GET /staff/accounts/{user_id}", {"admin"}},
      {"POST /staff/accounts/{user_id}", {"admin"}},
      {"POST /staff/accounts/{user_id}/password", {"admin"}},
      {"POST /staff/accounts/{user_id}/unlock", {"admin"}},
  };
  return m;
}

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
    if (auto p = target.find("{user_id}"); p != std::string::npos) target.replace(p, 9, "999999");
    if (auto p = target.find("{request_id}"); p != std::string::npos) target.replace(p, 12, "999999");
    if (auto p = target.find("{reference}"); p != std::string::npos) target.replace(p, 11, "TH-0000-0000");
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
      EXPECT_EQ(testing::header_value(res, "Cache-Control"), "private, no-store") << key << " as " << role;
      if (allowed.count(role)) {
        EXPECT_NE(res.status, 403) << key << " as " << role << ": " << res.body;
        EXPECT_NE(testing::header_value(res, "Location"), "/staff/sign-in") << key << " as " << role;
        EXPECT_LT(res.status, 500) << key << " as " << role;
      } else if (role == "signed_out") {
        EXPECT_EQ(res.status, 303) << key;
        EXPECT_EQ(testing::header_value(res, "Location"), "/staff/sign-in") << key;
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
  EXPECT_EQ(testing::header_value(ok, "Location"), "/staff/consultations/" + c->id);
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
  EXPECT_EQ(testing::header_value(r, "Location"), "/staff");
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
  EXPECT_EQ(testing::header_value(locked, "Retry-After"), std::to_string(policy.first_wait_seconds));
  EXPECT_NE(locked.body.find("too many failed attempts"), std::string::npos);
  EXPECT_EQ(set_cookie(locked, "th_staff"), "");
  EXPECT_EQ(testing::header_value(locked, "Cache-Control"), "private, no-store");
  // A name that has no account answers exactly the same, so the lock reveals nothing.
  Browser guesser;
  for (int i = 0; i < policy.free_account_failures + 1; ++i) {
    guesser.client = "198.51.100." + std::to_string(50 + i);
    EXPECT_EQ(sign_in(guesser, "nobody-here", "wrong password").status, 422);
  }
  guesser.client = "203.0.113.8";
  auto unknown = sign_in(guesser, "nobody-here", kPassword);
  EXPECT_EQ(unknown.status, 429);
  EXPECT_EQ(testing::header_value(unknown, "Retry-After"), testing::header_value(locked, "Retry-After"));
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
  EXPECT_EQ(testing::header_value(end, "Location"), "/staff/sessions");
  auto gone = call(phone, "GET", "/staff");
  EXPECT_EQ(gone.status, 303);
  EXPECT_EQ(testing::header_value(gone, "Location"), "/staff/sign-in");
  // Signing out ends the laptop's session and clears its cookie.
  auto home = call(laptop, "GET", "/staff");
  ASSERT_EQ(home.status, 200);
  const std::string secret = laptop.cookies.at("th_staff");
  auto out = call(laptop, "POST", "/staff/sign-out", "csrf=" + csrf_of(home.body));
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(set_cookie(out, "th_staff").find("Max-Age=0"), std::string::npos);
  laptop.cookies["th_staff"] = secret;  // even a browser that kept it
  EXPECT_EQ(testing::header_value(call(laptop, "GET", "/staff"), "Location"), "/staff/sign-in");
  EXPECT_TRUE(store->staff_sessions(users.at("officer").id, clock, 1800)->empty());
}

TEST_F(StaffConsoleTest, ConsultationsListShowsStatusDatesResponsesAndFindingsFromTheCore) {
  auto seeded = seed_demo(*store, Date::from_ymd(2026, 1, 5));
  ASSERT_TRUE(seeded.ok()) << seeded.error().describe();
  Browser b = session_for("governance");
  auto page = call(b, "GET", "/staff");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(testing::header_value(page, "Content-Security-Policy").find("default-src 'none'"), std::string::npos);
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

namespace townhall::server {
namespace {

// Today in the fixture is Monday 5 January 2026. A decision on Thursday 12 February 2026 needs its
// notice by Wednesday 14 January (28 clear days); published on Thursday 15 January it has 27.
std::string key_decision_form(const std::string& csrf, const std::string& published) {
  return "csrf=" + csrf + "&id=KD-2026-001&matter=" + form_escape("Highways maintenance contract") +
         "&decision_maker.name=" + form_escape("Cllr Asha Patel") + "&decision_maker.title=" + form_escape("Cabinet Member") +
         "&decision_date=2026-02-12&value_pence=" + form_escape("250,000") +
         "&value_kind=spend&treated_as_key=yes&assessment_reasons=" + form_escape("Spend over the threshold") +
         "&notice.published_on=" + published + "&notice.states_key_decision=yes&notice.documents=" + form_escape("Cabinet report") +
         "&notice.documents_available_from=" + form_escape("Town Hall") + "&notice.other_documents_statement=yes" +
         "&notice.how_to_request=" + form_escape("Email democratic services");
}

TEST_F(StaffConsoleTest, GovernanceRecordsAKeyDecisionThroughTheFormAndSeesKd2AndTheLatestDay) {
  Browser gwen = session_for("governance");
  auto blank = call(gwen, "GET", "/staff/forward-plan/new");
  ASSERT_EQ(blank.status, 200) << blank.body;
  const std::string token = csrf_of(blank.body);
  auto saved = call(gwen, "POST", "/staff/forward-plan/new", key_decision_form(token, "2026-01-15"));
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(testing::header_value(saved, "Location"), "/staff/forward-plan/KD-2026-001?saved=1");
  // Stored through the core, the notice's particulars taken from the decision.
  auto doc = register_record(*store, RecordKind::kKeyDecision, "KD-2026-001");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["value_pence"], 25000000);
  EXPECT_EQ((*doc)["notice"]["matter"], "Highways maintenance contract");
  EXPECT_EQ((*doc)["notice"]["decision_maker"]["name"], "Cllr Asha Patel");
  EXPECT_EQ((*doc)["notice"]["decision_date"], "2026-02-12");
  EXPECT_EQ(store->audit_entries()->back().event.actor, Actor::of(users.at("governance")).who);
  auto page = call(gwen, "GET", "/staff/forward-plan/KD-2026-001?saved=1");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("KD-2"), std::string::npos);
  EXPECT_NE(page.body.find("govuk-tag--red"), std::string::npos);
  EXPECT_NE(page.body.find("Wednesday 14 January 2026"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("key_decision.record"), std::string::npos);
  // The list and the dashboard show the breach; the report prints.
  EXPECT_NE(call(gwen, "GET", "/staff/forward-plan").body.find("1 breach"), std::string::npos);
  auto dash = call(gwen, "GET", "/staff/compliance");
  ASSERT_EQ(dash.status, 200);
  EXPECT_NE(dash.body.find("KD-2"), std::string::npos);
  auto report = call(gwen, "GET", "/staff/compliance/report?from=2025-07-01&to=2026-03-31");
  ASSERT_EQ(report.status, 200);
  EXPECT_NE(report.body.find("townhall-report"), std::string::npos);
  // Published a day earlier, KD-2 is met.
  auto fixed = call(gwen, "POST", "/staff/forward-plan/KD-2026-001", key_decision_form(csrf_of(page.body), "2026-01-14"));
  ASSERT_EQ(fixed.status, 303) << fixed.body;
  EXPECT_EQ(call(gwen, "GET", "/staff/forward-plan").body.find("1 breach"), std::string::npos);
}

TEST_F(StaffConsoleTest, G1AConsultationClosingAfterItsKeyDecisionShowsOnTheDashboardAndItsPage) {
  // Charter G1: a consultation closes before the decision it informs. Recorded to close Mon 27 Apr
  // 2026 (eight weeks from Mon 2 March); the Forward Plan gives the decision for Thu 23 Apr 2026.
  nlohmann::json doc = eight_weeks();
  doc["key_decision_id"] = "KD-2026-009";
  auto c = create_consultation(*store, doc, Actor::system("test"));
  ASSERT_TRUE(c.ok()) << c.error().describe();
  const nlohmann::json kd = {{"id", "KD-2026-009"}, {"matter", "Library opening hours"},
                             {"decision_maker", {{"name", "Cllr Asha Patel"}}}, {"decision_date", "2026-04-23"},
                             {"treated_as_key", true}};
  ASSERT_TRUE(record_in_register(*store, RecordKind::kKeyDecision, "KD-2026-009", kd, Actor::system("test")).ok());
  Browser gwen = session_for("governance");
  auto dash = call(gwen, "GET", "/staff/compliance");
  ASSERT_EQ(dash.status, 200);
  EXPECT_NE(dash.body.find("key decision KD-2026-009, which it informs"), std::string::npos) << dash.body;
  auto page = call(gwen, "GET", "/staff/consultations/" + c->id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("key decision KD-2026-009, which it informs"), std::string::npos) << page.body;
  auto report = call(gwen, "GET", "/staff/compliance/report?from=2026-01-01&to=2026-06-30");
  ASSERT_EQ(report.status, 200);
  EXPECT_NE(report.body.find("G1"), std::string::npos) << report.body;
}

TEST_F(StaffConsoleTest, ABadFieldIsShownByTheFieldAndNothingIsStored) {
  Browser gwen = session_for("governance");
  const std::string token = csrf_of(call(gwen, "GET", "/staff/forward-plan/new").body);
  std::string form = key_decision_form(token, "2026-01-15");
  form.replace(form.find("decision_date=2026-02-12"), 24, "decision_date=2026-02-30");
  auto r = call(gwen, "POST", "/staff/forward-plan/new", form);
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("href=\"#f-decision_date\""), std::string::npos) << r.body;
  std::string lots = key_decision_form(token, "2026-01-15");
  lots.replace(lots.find("value_pence="), 12 + form_escape("250,000").size(), "value_pence=lots");
  auto money = call(gwen, "POST", "/staff/forward-plan/new", lots);
  EXPECT_NE(money.body.find("href=\"#f-value_pence\""), std::string::npos);
  EXPECT_EQ(money.status, 422);
  EXPECT_EQ(register_record(*store, RecordKind::kKeyDecision, "KD-2026-001").error().code, ErrorCode::kNotFound);
  // Without the token: refused, nothing stored.
  EXPECT_EQ(call(gwen, "POST", "/staff/forward-plan/new", key_decision_form("", "2026-01-15")).status, 403);
  EXPECT_EQ(call(gwen, "POST", "/staff/forward-plan/new", key_decision_form(std::string(64, '0'), "2026-01-15")).status, 403);
  // A field given twice is not one of our forms: refused before anything else.
  EXPECT_EQ(call(gwen, "POST", "/staff/forward-plan/new", key_decision_form(token, "2026-01-15") + "&matter=Other").status, 400);
  EXPECT_TRUE(read_register(*store)->key_decisions.empty());
}

TEST_F(StaffConsoleTest, APartPrivateCabinetMeetingIsRecordedAndWithdrawnWithAReason) {
  Browser gwen = session_for("governance");
  const std::string token = csrf_of(call(gwen, "GET", "/staff/meetings/new").body);
  auto r = call(gwen, "POST", "/staff/meetings/new",
                "csrf=" + token + "&id=cabinet-2026-02-12&body=Cabinet&date=2026-02-12&private=yes&notice_published_on=2026-02-03" +
                    "&agenda_published_on=2026-02-03&intention_notice_published_on=2026-01-06&intention_notice_reasons=" +
                    form_escape("Item 7 is exempt (Schedule 12A paragraph 3)") + "&further_notice.published_on=2026-02-03" +
                    "&further_notice.reasons=" + form_escape("Item 7: commercial terms") + "&urgency.agreed_by=");
  ASSERT_EQ(r.status, 303) << r.body;
  auto plan = read_register(*store);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->meetings.size(), 1u);
  EXPECT_TRUE(plan->meetings[0].is_private);
  EXPECT_FALSE(plan->meetings[0].wholly_private);
  ASSERT_TRUE(plan->meetings[0].further_notice.has_value());
  EXPECT_TRUE(plan->meetings[0].further_notice->representations_received->empty());
  EXPECT_FALSE(plan->meetings[0].urgency.has_value());
  auto list = call(gwen, "GET", "/staff/meetings");
  EXPECT_NE(list.body.find("Cabinet (part private)"), std::string::npos) << list.body;
  auto page = call(gwen, "GET", "/staff/meetings/cabinet-2026-02-12");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("PM-1"), std::string::npos);
  // Officers read it but cannot withdraw it.
  Browser olivia = session_for("officer");
  EXPECT_EQ(call(olivia, "GET", "/staff/meetings/cabinet-2026-02-12").status, 200);
  auto w = call(gwen, "GET", "/staff/meetings/cabinet-2026-02-12/withdraw");
  ASSERT_EQ(w.status, 200);
  EXPECT_EQ(call(gwen, "POST", "/staff/meetings/cabinet-2026-02-12/withdraw", "csrf=" + csrf_of(w.body) + "&reason=").status, 422);
  auto gone = call(gwen, "POST", "/staff/meetings/cabinet-2026-02-12/withdraw", "csrf=" + csrf_of(w.body) + "&reason=Cancelled");
  ASSERT_EQ(gone.status, 303);
  EXPECT_TRUE(read_register(*store)->meetings.empty());
  EXPECT_EQ(store->audit_entries()->back().event.action, "meeting.withdraw");
}

TEST_F(StaffConsoleTest, ForwardPlanCsvImportNamesEveryBadRowAndRecordsAllOrNothing) {
  Browser gwen = session_for("governance");
  const std::string token = csrf_of(call(gwen, "GET", "/staff/forward-plan/import").body);
  const std::string columns =
      "id,matter,decision_maker,decision_date,value_pence,wards,significant_effects,treated_as_key,notice_published_on\n";
  const std::string bad = columns + "KD-1,Roads,Cllr Patel,2026-02-12,12000000,Abbey,no,yes,2026-01-01\n" +
                          "KD-2,Parks,Cllr Patel,2026-02-30,100,Abbey,no,yes,2026-01-01\n" +
                          "KD-3,Bins,Cllr Patel,2026-02-12,£5,Abbey,no,yes,2026-01-01\n";
  auto r = call(gwen, "POST", "/staff/forward-plan/import", "csrf=" + token + "&csv=" + form_escape(bad));
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("row 3"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("row 4"), std::string::npos) << r.body;
  EXPECT_TRUE(read_register(*store)->key_decisions.empty());
  const std::string good = columns + "KD-1,Roads,Cllr Patel,2026-02-12,12000000,Abbey,no,yes,2026-01-01\n";
  auto ok = call(gwen, "POST", "/staff/forward-plan/import", "csrf=" + token + "&csv=" + form_escape(good));
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(read_register(*store)->key_decisions.size(), 1u);
  EXPECT_NE(call(gwen, "GET", testing::header_value(ok, "Location")).body.find("1 key decision was recorded"), std::string::npos);
}

// An administrator adds an account through the form, the new member of staff signs in with it,
// and disabling it signs them out at once; nobody may disable their own account.
TEST_F(StaffConsoleTest, AnAdministratorAddsDisablesAndEnablesAStaffAccount) {
  Browser admin = session_for("admin");
  auto form = call(admin, "GET", "/staff/accounts/new");
  ASSERT_EQ(form.status, 200);
  const std::string token = csrf_of(form.body);
  // A password too short is shown by its field, and no account is made.
  auto short_pw = call(admin, "POST", "/staff/accounts/new",
                       "csrf=" + token + "&name=Nia+Newcomer&username=nia&email=&role=governance&password=short");
  EXPECT_EQ(short_pw.status, 422);
  EXPECT_NE(short_pw.body.find("href=\"#password\""), std::string::npos);
  EXPECT_NE(short_pw.body.find("value=\"nia\""), std::string::npos);  // what was typed is kept
  EXPECT_EQ(store->staff_account_by_key("nia").error().code, ErrorCode::kNotFound);
  auto made = call(admin, "POST", "/staff/accounts/new",
                   "csrf=" + token + "&name=Nia+Newcomer&username=nia&email=&role=governance&password=" +
                       form_escape(kPassword));
  ASSERT_EQ(made.status, 303) << made.body;
  auto nia = store->staff_account_by_key("nia");
  ASSERT_TRUE(nia.ok());
  EXPECT_EQ(nia->user.role, Role::kGovernance);
  EXPECT_NE(call(admin, "GET", "/staff/accounts").body.find("Nia Newcomer"), std::string::npos);

  Browser newcomer;
  ASSERT_EQ(sign_in(newcomer, "nia", kPassword).status, 303);
  ASSERT_EQ(call(newcomer, "GET", "/staff/forward-plan").status, 200);

  const std::string page = "/staff/accounts/" + std::to_string(nia->user.id);
  auto off = call(admin, "POST", page, "csrf=" + token + "&role=governance&state=disabled");
  ASSERT_EQ(off.status, 303) << off.body;
  auto after = call(newcomer, "GET", "/staff/forward-plan");
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(testing::header_value(after, "Location"), "/staff/sign-in");
  Browser again;
  auto refused = sign_in(again, "nia", kPassword);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("has been disabled"), std::string::npos);

  ASSERT_EQ(call(admin, "POST", page, "csrf=" + token + "&role=governance&state=enabled").status, 303);
  Browser back;
  EXPECT_EQ(sign_in(back, "nia", kPassword).status, 303);

  // The administrator's own account shows no role form, and a forged post is refused by the core.
  const std::string own = "/staff/accounts/" + std::to_string(users.at("admin").id);
  EXPECT_EQ(call(admin, "GET", own).body.find("Save role and state"), std::string::npos);
  auto self = call(admin, "POST", own, "csrf=" + token + "&role=admin&state=disabled");
  EXPECT_EQ(self.status, 409);
  EXPECT_NE(self.body.find("another administrator"), std::string::npos);
  EXPECT_TRUE(store->staff_account(users.at("admin").id)->disabled_at.empty());
}

}  // namespace
}  // namespace townhall::server
