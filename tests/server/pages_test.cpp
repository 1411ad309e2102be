// The residents' web pages in process: language negotiation, lang/dir, escaping, the security
// headers, CSRF refusal, strict form parsing, GOV.UK error messages, and a response sent through
// the pages landing in the store with its language. Expected texts come from the GOV.UK Design
// System patterns and the catalogs' English/Welsh wording, not from the renderer.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include <SQLiteCpp/SQLiteCpp.h>

#include "in_process.h"
#include "townhall/consultations/editing.h"
#include "townhall/panel/member_data.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

class PagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-pages");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    ApiOptions options;
    options.now_seconds = [this] { return clock; };
    api = std::make_unique<Api>(*store, options);
    nlohmann::json doc = {
        {"title", "Library <script>alert(1)</script> & hours"},
        {"summary", "Saturday \"opening\""},
        {"opens", "2020-01-01"},
        {"closes", "2099-12-31"},
        {"questions",
         {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
          {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}, {"max_length", 10}},
          {{"id", "mode"}, {"type", "single_choice"}, {"text", "How do you travel?"}, {"options", {"Bus", "Car"}}}}}};
    id = open_consultation(doc);
  }
  // Creates the consultation and opens it; its id.
  std::string open_consultation(const nlohmann::json& doc) {
    auto rec = store->create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}});
    EXPECT_TRUE(rec.ok());
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      TransitionRecord t;
      t.consultation_id = rec->id;
      t.from = from;
      t.to = to;
      EXPECT_TRUE(store->transition_consultation(t).ok());
    }
    return rec->id;
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "",
                    const std::string& content_type = "application/x-www-form-urlencoded") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.cookie = member_cookie.empty() ? cookie : cookie.empty() ? member_cookie : cookie + "; " + member_cookie;
    r.accept_language = accept_language;
    r.body = body;
    if (method == "POST") r.content_type = content_type;
    HttpResponse out = testing::handle_and_wait(*api, r);
    // Keep the session cookie the way a browser would.
    for (const auto& [k, v] : out.headers) {
      if (k != "Set-Cookie") continue;
      if (v.rfind("th_member=", 0) == 0) {
        member_cookie = v.find("Max-Age=0") != std::string::npos ? "" : v.substr(0, v.find(';'));
      } else {
        cookie = v.substr(0, v.find(';'));
      }
    }
    return out;
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  static std::string csrf_of(const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(name="csrf" value="([0-9a-f]{64})")re");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }

  std::string dir, id, cookie, member_cookie, accept_language;
  int64_t clock = 1'800'000'000;  // Unix seconds for sign-in links and member sessions
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

TEST_F(PagesTest, RootNegotiatesTheLanguage) {
  accept_language = "cy-GB,cy;q=0.9,en;q=0.8";
  auto r = call("GET", "/");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(header(r, "Location"), "/cy/");
  EXPECT_EQ(header(r, "Vary"), "Accept-Language");
  accept_language = "zz";
  EXPECT_EQ(header(call("GET", "/"), "Location"), "/en-GB/");
}

TEST_F(PagesTest, PagesCarryLangDirAndMarkEnglishContentInOtherLanguages) {
  auto ar = call("GET", "/ar/consultations/" + id);
  ASSERT_EQ(ar.status, 200);
  EXPECT_EQ(ar.content_type, "text/html; charset=utf-8");
  EXPECT_NE(ar.body.find(R"(<html lang="ar" dir="rtl")"), std::string::npos);
  EXPECT_EQ(header(ar, "Content-Language"), "ar");
  // The consultation's own (English) title inside the Arabic page.
  EXPECT_NE(ar.body.find(R"(<h1 class="govuk-heading-xl" lang="en-GB" dir="ltr">)"), std::string::npos);
  // The language picker names each language in itself.
  EXPECT_NE(ar.body.find(R"(lang="cy" hreflang="cy" dir="ltr">Cymraeg</a>)"), std::string::npos);
  auto cy = call("GET", "/cy/");
  EXPECT_NE(cy.body.find(R"(<html lang="cy" dir="ltr")"), std::string::npos);
  EXPECT_EQ(call("GET", "/xx/").status, 404);
  EXPECT_EQ(call("GET", "/en-GB/consultations/c-999").status, 404);
}

TEST_F(PagesTest, ContentIsEscaped) {
  auto r = call("GET", "/en-GB/consultations/" + id);
  EXPECT_EQ(r.body.find("<script>alert(1)</script>"), std::string::npos);
  EXPECT_NE(r.body.find("Library &lt;script&gt;alert(1)&lt;/script&gt; &amp; hours"), std::string::npos);
  EXPECT_NE(r.body.find("Saturday &quot;opening&quot;"), std::string::npos);
}

TEST_F(PagesTest, StrictContentSecurityPolicyOnPagesAndAssets) {
  for (const std::string target : {"/en-GB/", "/en-GB/privacy", "/assets/townhall.css"}) {
    auto r = call("GET", target);
    ASSERT_EQ(r.status, 200) << target;
    std::string csp = header(r, "Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << target;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << target;
    EXPECT_NE(csp.find("style-src 'self'"), std::string::npos) << target;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << target;
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
  }
  // No inline script or style in the markup the CSP would have to allow.
  auto page = call("GET", "/en-GB/consultations/" + id + "/questions/1");
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_EQ(page.body.find("style="), std::string::npos);
  EXPECT_EQ(page.body.find("<style"), std::string::npos);
}

TEST_F(PagesTest, PostsWithoutTheRightCsrfTokenAreRefusedAndChangeNothing) {
  std::string q1 = "/en-GB/consultations/" + id + "/questions/1";
  // No session at all.
  EXPECT_EQ(call("POST", q1, "answer=yes").status, 403);
  // A session, but a token for another session (or none).
  auto page = call("GET", q1);
  std::string token = csrf_of(page.body);
  ASSERT_EQ(token.size(), 64u);
  EXPECT_EQ(call("POST", q1, "answer=yes").status, 403);
  std::string mine = cookie;
  cookie = "th_session=" + std::string(43, 'b');
  EXPECT_EQ(call("POST", q1, "answer=yes&csrf=" + token).status, 403);
  cookie = mine;
  auto ok = call("POST", q1, "answer=yes&csrf=" + token);
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(header(ok, "Location"), "/en-GB/consultations/" + id + "/questions/2");
}

TEST_F(PagesTest, FormsAreParsedStrictly) {
  std::string q2 = "/en-GB/consultations/" + id + "/questions/2";
  std::string token = csrf_of(call("GET", q2).body);
  EXPECT_EQ(call("POST", q2, "answer=%FF%FE&csrf=" + token).status, 400);      // invalid UTF-8
  EXPECT_EQ(call("POST", q2, "answer=%G1&csrf=" + token).status, 400);         // malformed escape
  EXPECT_EQ(call("POST", q2, "{\"answer\":\"x\"}", "application/json").status, 400);
  EXPECT_EQ(call("POST", q2, "answer=" + std::string(70 * 1024, 'a') + "&csrf=" + token).status, 400);
  // '+' is a space, %C3%A9 is é, and e + U+0301 is stored as NFC é.
  auto r = call("POST", q2, "answer=caf%C3%A9+cafe%CC%81&csrf=" + token);
  EXPECT_EQ(r.status, 303);
  auto check = call("GET", "/en-GB/consultations/" + id + "/check");
  EXPECT_NE(check.body.find("café café"), std::string::npos);
}

TEST_F(PagesTest, ErrorsFollowTheGovUkPattern) {
  std::string q1 = "/en-GB/consultations/" + id + "/questions/1";
  std::string token = csrf_of(call("GET", q1).body);
  auto r = call("POST", q1, "csrf=" + token);
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("<title>Error: Do you agree?"), std::string::npos);
  EXPECT_NE(r.body.find(R"(<h2 class="govuk-error-summary__title">There is a problem</h2>)"), std::string::npos);
  EXPECT_NE(r.body.find(R"(<li><a href="#answer">Select an answer</a></li>)"), std::string::npos);
  EXPECT_NE(r.body.find(R"(<span class="govuk-visually-hidden">Error:</span> Select an answer)"), std::string::npos);
  EXPECT_NE(r.body.find(R"(aria-describedby="answer-error")"), std::string::npos);
  // Too long for max_length 10, in Welsh, keeping what was typed.
  std::string q2 = "/cy/consultations/" + id + "/questions/2";
  auto cy = call("POST", q2, "answer=abcdefghijkl&csrf=" + token);
  EXPECT_EQ(cy.status, 422);
  EXPECT_NE(cy.body.find("abcdefghijkl</textarea>"), std::string::npos);
  EXPECT_NE(cy.body.find("<title>Gwall: "), std::string::npos);
  // The check page refuses to send without the required answer.
  auto send = call("POST", "/en-GB/consultations/" + id + "/check", "csrf=" + token);
  EXPECT_EQ(send.status, 422);
  EXPECT_EQ(store->count_responses(id).value(), 0);
}

TEST_F(PagesTest, AResponseSentFromThePagesIsStoredWithItsLanguage) {
  std::string base = "/cy/consultations/" + id;
  std::string token = csrf_of(call("GET", base + "/questions/1").body);
  ASSERT_EQ(call("POST", base + "/questions/1", "answer=no&csrf=" + token).status, 303);
  ASSERT_EQ(call("POST", base + "/questions/2", "answer=Rhy+ddrud&csrf=" + token).status, 303);
  auto sent = call("POST", base + "/check", "csrf=" + token);
  ASSERT_EQ(sent.status, 303) << sent.body;
  std::string location = header(sent, "Location");
  ASSERT_EQ(location.rfind(base + "/confirmation/TH-", 0), 0u) << location;
  std::string reference = location.substr(location.rfind('/') + 1);
  auto stored = store->response_by_reference(reference);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->language, "cy");
  EXPECT_EQ(stored->channel, "online");
  EXPECT_EQ(stored->answers, (nlohmann::json{{"agree", false}, {"why", "Rhy ddrud"}}));
  auto confirmation = call("GET", location);
  EXPECT_EQ(confirmation.status, 200);
  EXPECT_NE(confirmation.body.find(reference), std::string::npos);
  // The answers are gone; Back and Send again says the response is in, with its reference.
  auto again = call("GET", base + "/check");
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("Eich cyfeirnod yw " + reference), std::string::npos);
  EXPECT_EQ(again.body.find("Heb ateb"), std::string::npos);
  auto resent = call("POST", base + "/check", "csrf=" + token);
  EXPECT_EQ(resent.status, 409);
  EXPECT_NE(resent.body.find("Rydych chi eisoes wedi ymateb"), std::string::npos);
  EXPECT_NE(resent.body.find(reference), std::string::npos);
  EXPECT_EQ(store->count_responses(id).value(), 1);
}

TEST_F(PagesTest, SaveAndComeBackWritesAnEmailToTheOutbox) {
  std::string base = "/en-GB/consultations/" + id;
  std::string token = csrf_of(call("GET", base + "/questions/1").body);
  ASSERT_EQ(call("POST", base + "/questions/1", "answer=yes&csrf=" + token).status, 303);
  EXPECT_EQ(call("POST", base + "/save", "email=nope&csrf=" + token).status, 422);
  EXPECT_TRUE(store->outbox()->empty());
  auto saved = call("POST", base + "/save", "email=me%40example.org&csrf=" + token);
  ASSERT_EQ(saved.status, 303);
  auto mails = store->outbox().value();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, "me@example.org");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(mails[0].body, m, std::regex("(/en-GB/consultations/c-1/resume/[A-Za-z0-9_-]+)")));
  std::string link = m[1].str();
  cookie.clear();  // another browser
  auto opened = call("GET", link);  // a page with a button: opening the link uses nothing up
  ASSERT_EQ(opened.status, 200);
  auto resumed = call("POST", link, "csrf=" + csrf_of(opened.body));
  EXPECT_EQ(resumed.status, 303);
  EXPECT_EQ(header(resumed, "Location"), base + "/questions/2");
  EXPECT_EQ(call("GET", link).status, 410);  // once only
}

TEST_F(PagesTest, TranslatedContentIsShownAndUntranslatedFieldsAreMarkedEnglish) {
  nlohmann::json welsh = {{"title", "Oriau’r llyfrgell"}, {"questions", {{"agree", {{"text", "Ydych chi’n cytuno?"}}}}}};
  ASSERT_TRUE(put_translation(*store, id, "cy", welsh, AuditEvent{"test", "translation.put", "consultation", id, {}}).ok());
  auto page = call("GET", "/cy/consultations/" + id);
  EXPECT_NE(page.body.find(R"(<h1 class="govuk-heading-xl" lang="cy" dir="ltr">Oriau’r llyfrgell</h1>)"), std::string::npos);
  // No Welsh summary: the English one, marked as English.
  EXPECT_NE(page.body.find(R"(<p class="govuk-body-l" lang="en-GB" dir="ltr">Saturday &quot;opening&quot;</p>)"),
            std::string::npos);
  auto q1 = call("GET", "/cy/consultations/" + id + "/questions/1");
  EXPECT_NE(q1.body.find(R"(<span lang="cy" dir="ltr">Ydych chi’n cytuno?</span>)"), std::string::npos);
  auto q2 = call("GET", "/cy/consultations/" + id + "/questions/2");
  EXPECT_NE(q2.body.find(R"(<span lang="en-GB" dir="ltr">Why?</span>)"), std::string::npos);
  // Translated option labels on the question and on check your answers; the answer stays English.
  nlohmann::json with_options = welsh;
  with_options["questions"]["mode"] = {{"text", "Sut ydych chi’n teithio?"}, {"options", {"Bws", "Car"}}};
  ASSERT_TRUE(put_translation(*store, id, "cy", with_options, AuditEvent{"test", "translation.put", "consultation", id, {}}).ok());
  auto q3 = call("GET", "/cy/consultations/" + id + "/questions/3");
  EXPECT_NE(q3.body.find(R"(value="Bus">)"), std::string::npos);
  EXPECT_NE(q3.body.find(R"(lang="cy" dir="ltr">Bws</label>)"), std::string::npos);
  std::string token = csrf_of(q3.body);
  ASSERT_EQ(call("POST", "/cy/consultations/" + id + "/questions/3", "answer=Bus&csrf=" + token).status, 303);
  auto check = call("GET", "/cy/consultations/" + id + "/check");
  EXPECT_NE(check.body.find(R"(lang="cy" dir="ltr">Bws</dd>)"), std::string::npos);
  ASSERT_EQ(call("POST", "/cy/consultations/" + id + "/questions/1", "answer=yes&csrf=" + token).status, 303);
  auto sent = call("POST", "/cy/consultations/" + id + "/check", "csrf=" + token);
  ASSERT_EQ(sent.status, 303);
  std::string location = header(sent, "Location");
  auto stored = store->response_by_reference(location.substr(location.rfind('/') + 1));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->answers["mode"], "Bus");
  // Arabic has no translation: everything of the consultation is English, inside an Arabic page.
  auto ar = call("GET", "/ar/consultations/" + id + "/questions/1");
  EXPECT_NE(ar.body.find(R"(<span lang="en-GB" dir="ltr">Do you agree?</span>)"), std::string::npos);
}


// ---- Citizens' Panel member pages -------------------------------------------------------------

class PanelPagesTest : public PagesTest {
 protected:
  void SetUp() override {
    PagesTest::SetUp();
    // These tests ask for many links on purpose (the outstanding-link rule); the rate limits on
    // emails have their own tests (identity_test.cpp).
    ApiOptions options;
    options.now_seconds = [this] { return clock; };
    options.rate_limits.email_per_address.limit = 0;
    options.rate_limits.email_per_client.limit = 0;
    api = std::make_unique<Api>(*store, options);
  }
  static AuditEvent ev(const char* action) { return AuditEvent{"test", action, "panel_member", "", {}}; }

  panel::Member add_member(const std::string& email, std::vector<panel::Fact> facts = {}) {
    panel::NewMember m;
    m.personal = {{"name", "Ada Lovelace"}, {"email", email}};
    m.channel = "paper";
    m.email_verified = true;  // the council's own record: the address signs in
    m.joined_on = *Date::parse("2026-01-05");
    m.fact_consent = true;
    m.facts = std::move(facts);
    return store->add_member(m, ev("panel.join")).value();
  }
  static panel::Fact fact(const std::string& key, nlohmann::json value, const char* channel = "paper") {
    panel::Fact f;
    f.key = key;
    f.value = std::move(value);
    f.channel = channel;
    f.source = "join";
    f.recorded_on = *Date::parse("2026-01-05");
    f.consent = true;
    f.valid_until = *Date::parse("2099-01-05");
    return f;
  }
  // Asks for a sign-in link on the pages and returns the link's path from the newest outbox email.
  std::string request_link(const std::string& email) {
    std::string token = csrf_of(call("GET", "/en-GB/panel/sign-in").body);
    auto r = call("POST", "/en-GB/panel/sign-in", "email=" + email + "&csrf=" + token);
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(header(r, "Location"), "/en-GB/panel/check-email");
    auto mails = store->outbox().value();
    if (mails.empty()) return "";
    std::smatch m;
    if (!std::regex_search(mails.back().body, m, std::regex("(/en-GB/panel/sign-in/[A-Za-z0-9_-]+)"))) return "";
    return m[1].str();
  }
  // Opens an emailed sign-in link and presses its button (only the POST uses the link up).
  HttpResponse follow_link(const std::string& link) {
    auto page = call("GET", link);
    if (page.status != 200) return page;
    return call("POST", link, "csrf=" + csrf_of(page.body));
  }
  void sign_in(const std::string& email) {
    std::string link = request_link(email);
    ASSERT_FALSE(link.empty());
    auto r = follow_link(link);
    ASSERT_EQ(r.status, 303);
    ASSERT_EQ(header(r, "Location"), "/en-GB/panel/me");
    ASSERT_FALSE(member_cookie.empty());
  }
  int64_t count(const std::string& sql) {
    SQLite::Database raw(dir + "/t.db");
    return raw.execAndGet(sql).getInt64();
  }
};

TEST_F(PanelPagesTest, SignInLinksAreEmailedOnlyToMembersWorkOnceAndExpire) {
  add_member("ada@example.org");
  std::string token = csrf_of(call("GET", "/en-GB/panel/sign-in").body);
  EXPECT_EQ(call("POST", "/en-GB/panel/sign-in", "email=ada%40example.org").status, 403);  // no CSRF token
  auto bad = call("POST", "/en-GB/panel/sign-in", "email=nope&csrf=" + token);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find(R"(<li><a href="#email">Enter an email address in the correct format, like name@example.com</a></li>)"),
            std::string::npos);
  // An address that is not a member's gets the same page and no email.
  auto stranger = call("POST", "/en-GB/panel/sign-in", "email=someone%40example.org&csrf=" + token);
  EXPECT_EQ(stranger.status, 303);
  EXPECT_EQ(header(stranger, "Location"), "/en-GB/panel/check-email");
  EXPECT_TRUE(store->outbox()->empty());
  EXPECT_NE(call("GET", "/en-GB/panel/check-email").body.find("Check your email"), std::string::npos);

  std::string link = request_link("ADA%40Example.org");  // addresses match ignoring case
  ASSERT_FALSE(link.empty());
  EXPECT_EQ(store->outbox()->back().to, "ada@example.org");  // to the address on record, as it was proven
  std::string secret = link.substr(link.rfind('/') + 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pages_member_tokens WHERE hash = '" + secret + "'"), 0);  // only a hash is kept
  EXPECT_EQ(count("SELECT COUNT(*) FROM pages_member_tokens WHERE kind = 'sign_in'"), 1);

  std::string anonymous = cookie;
  cookie.clear();  // the email is opened in another browser
  // Opening the link (as a mail scanner or link preview would) signs nobody in and keeps it usable.
  for (int i = 0; i < 2; ++i) {
    auto opened = call("GET", link);
    EXPECT_EQ(opened.status, 200);
    EXPECT_NE(opened.body.find(R"(action="/en-GB/panel/sign-in/)" + secret + "\""), std::string::npos);
    EXPECT_TRUE(member_cookie.empty());
  }
  EXPECT_EQ(call("POST", link, "csrf=wrong").status, 403);  // the button's POST needs the CSRF token
  EXPECT_TRUE(member_cookie.empty());
  auto signed_in = follow_link(link);
  ASSERT_EQ(signed_in.status, 303);
  EXPECT_EQ(header(signed_in, "Location"), "/en-GB/panel/me");
  std::string set_cookie;
  for (const auto& [k, v] : signed_in.headers) {
    if (k == "Set-Cookie" && v.rfind("th_member=", 0) == 0) set_cookie = v;
  }
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; SameSite=Lax"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; Max-Age=28800"), std::string::npos) << set_cookie;  // 8 hours
  std::string session_secret = member_cookie.substr(std::string("th_member=").size());
  EXPECT_GE(session_secret.size(), 32u);
  EXPECT_NE(session_secret, secret);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pages_member_tokens WHERE hash = '" + session_secret + "'"), 0);
  EXPECT_EQ(call("GET", "/en-GB/panel/me").status, 200);
  // The link worked once.
  std::string member = member_cookie;
  member_cookie.clear();
  EXPECT_EQ(call("GET", link).status, 410);
  EXPECT_TRUE(member_cookie.empty());
  // A new link is dead after 30 minutes.
  cookie = anonymous;
  std::string late = request_link("ada%40example.org");
  EXPECT_FALSE(request_link("ada%40example.org").empty());  // a second link, never used
  clock += 30 * 60;
  EXPECT_EQ(call("GET", late).status, 410);
  EXPECT_TRUE(member_cookie.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM pages_member_tokens WHERE kind = 'sign_in'"), 0);  // expired ones are purged
  // The session ends after 8 hours.
  member_cookie = member;
  EXPECT_EQ(call("GET", "/en-GB/panel/me").status, 200);
  clock += 8 * 60 * 60;
  auto expired = call("GET", "/en-GB/panel/me");
  EXPECT_EQ(expired.status, 303);
  EXPECT_EQ(header(expired, "Location"), "/en-GB/panel/sign-in");
}

// Anyone can type a member's address into the sign-in page; repeating it must not flood the
// member's inbox. While 3 unused links are live no further email is sent, and the page is the
// same (it reveals nothing); a link used or expired makes room again.
TEST_F(PanelPagesTest, SignInEmailsStopWhileThreeUnusedLinksAreOutstanding) {
  add_member("ada@example.org");
  std::string first;
  for (int i = 0; i < 3; ++i) {
    std::string link = request_link("ada%40example.org");
    ASSERT_FALSE(link.empty());
    if (i == 0) first = link;
    EXPECT_EQ(store->outbox()->size(), static_cast<size_t>(i + 1));
  }
  for (int i = 0; i < 5; ++i) request_link("ada%40example.org");  // same 303 to check-email (asserted inside)
  EXPECT_EQ(store->outbox()->size(), 3u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pages_member_tokens WHERE kind = 'sign_in'"), 3);
  std::string anonymous = cookie;
  ASSERT_EQ(follow_link(first).status, 303);  // using one makes room for one more
  cookie = anonymous;
  member_cookie.clear();
  request_link("ada%40example.org");
  EXPECT_EQ(store->outbox()->size(), 4u);
  request_link("ada%40example.org");
  EXPECT_EQ(store->outbox()->size(), 4u);
  clock += 30 * 60;  // all expired
  request_link("ada%40example.org");
  EXPECT_EQ(store->outbox()->size(), 5u);
}

TEST_F(PanelPagesTest, TheMePageShowsEverythingHeldWithProvenance) {
  auto m = add_member("ada@example.org", {fact("tenure", "Social rented")});
  ASSERT_TRUE(store->set_equality_data(m.person_id, {{"religion", "Quaker"}}).ok());
  ASSERT_TRUE(store->record_invitations({{m.id, id, *Date::parse("2026-02-01")}}, {}, ev("panel.invite")).ok());
  ResponseSubmission s;
  s.consultation_id = id;
  s.person_id = m.person_id;
  s.answers = {{"agree", true}};
  auto mine = store->submit_responses({s}, responses_allowed()).front().value();
  EXPECT_EQ(call("GET", "/en-GB/panel/me").status, 303);  // not signed in
  sign_in("ada%40example.org");
  auto page = call("GET", "/en-GB/panel/me");
  ASSERT_EQ(page.status, 200);
  for (const char* text : {"What the council holds about you", "Ada Lovelace", "ada@example.org",
                           "Your home (owned or rented)", "Social rented", "On a paper form", "5 January 2026",
                           "5 January 2099", "Quaker", "1 February 2026"}) {
    EXPECT_NE(page.body.find(text), std::string::npos) << text;
  }
  EXPECT_NE(page.body.find(mine.reference), std::string::npos);
  EXPECT_LT(page.body.find("Ada Lovelace"), page.body.find("ada@example.org"));  // name first
  EXPECT_NE(page.body.find(R"(href="/en-GB/panel/me/facts/tenure")"), std::string::npos);
  // The same equality data through the API's member data.
  auto held = panel::member_data(*store, *store, *store, m.id).value();
  EXPECT_EQ(held["equality_data"]["religion"], "Quaker");
}

TEST_F(PanelPagesTest, FactsAreChangedOnlineWithTheJoinFormsChecks) {
  auto m = add_member("ada@example.org", {fact("postcode", "E1 6AN")});
  sign_in("ada%40example.org");
  auto form = call("GET", "/en-GB/panel/me/facts/postcode");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find(R"(value="E1 6AN")"), std::string::npos);
  std::string token = csrf_of(form.body);
  EXPECT_EQ(call("GET", "/en-GB/panel/me/facts/shoe_size").status, 404);
  EXPECT_EQ(call("POST", "/en-GB/panel/me/facts/postcode", "value=SW1A+1AA").status, 403);
  auto bad = call("POST", "/en-GB/panel/me/facts/postcode", "value=not+a+postcode&csrf=" + token);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find(R"(<li><a href="#value">Enter a real postcode</a></li>)"), std::string::npos);
  EXPECT_EQ(store->member_facts(m.id)->front().value, "E1 6AN");
  auto ok = call("POST", "/en-GB/panel/me/facts/postcode", "value=sw1a1aa&csrf=" + token);
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(header(ok, "Location"), "/en-GB/panel/me");
  auto f = store->member_facts(m.id)->front();
  EXPECT_EQ(f.value, "SW1A 1AA");  // normalised as on joining
  EXPECT_EQ(f.channel, "online");
}

TEST_F(PanelPagesTest, PersonalDetailsAreChangedOnlineAndTheNewEmailSignsIn) {
  auto m = add_member("ada@example.org");
  sign_in("ada%40example.org");
  auto me = call("GET", "/en-GB/panel/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(me.body.find(R"(href="/en-GB/panel/me/details/email")"), std::string::npos);
  auto form = call("GET", "/en-GB/panel/me/details/email");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find(R"(value="ada@example.org")"), std::string::npos);
  EXPECT_NE(form.body.find(R"(type="email")"), std::string::npos);
  std::string token = csrf_of(form.body);
  EXPECT_EQ(call("GET", "/en-GB/panel/me/details/religion").status, 404);  // only name, email, phone, address
  EXPECT_EQ(call("POST", "/en-GB/panel/me/details/email", "value=ada2%40example.org").status, 403);  // no CSRF token
  auto bad = call("POST", "/en-GB/panel/me/details/email", "value=nope&csrf=" + token);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find(R"(<li><a href="#value">Enter an email address in the correct format, like name@example.com</a></li>)"),
            std::string::npos);
  auto blank_name = call("POST", "/en-GB/panel/me/details/name", "value=+&csrf=" + token);
  EXPECT_EQ(blank_name.status, 422);
  EXPECT_EQ(store->get_person(m.person_id)->personal_data["email"], "ada@example.org");  // nothing changed

  // A new address counts once the link emailed to it is pressed.
  auto ok = call("POST", "/en-GB/panel/me/details/email", "value=+ada.new%40example.org+&csrf=" + token);
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(header(ok, "Location"), "/en-GB/panel/email-sent");
  EXPECT_EQ(store->get_person(m.person_id)->personal_data["email"], "ada@example.org");
  const auto confirmation = store->outbox()->back();
  ASSERT_EQ(confirmation.to, "ada.new@example.org");
  std::smatch found;
  ASSERT_TRUE(std::regex_search(confirmation.body, found, std::regex("(/en-GB/panel/confirm-email/[0-9a-f]+)")));
  auto confirm = call("GET", found[1].str());
  ASSERT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find("ada.new@example.org"), std::string::npos);
  auto confirmed = call("POST", found[1].str(), "csrf=" + csrf_of(confirm.body));
  EXPECT_EQ(confirmed.status, 303);
  EXPECT_EQ(header(confirmed, "Location"), "/en-GB/panel/email-confirmed");
  token = csrf_of(call("GET", "/en-GB/panel/me/details/phone").body);
  // A phone number is added, then taken away again.
  EXPECT_EQ(call("POST", "/en-GB/panel/me/details/phone", "value=020+7946+0000&csrf=" + token).status, 303);
  EXPECT_EQ(store->get_person(m.person_id)->personal_data["phone"], "020 7946 0000");
  EXPECT_EQ(call("POST", "/en-GB/panel/me/details/phone", "value=&csrf=" + token).status, 303);
  auto person = store->get_person(m.person_id).value();
  EXPECT_EQ(person.personal_data["email"], "ada.new@example.org");
  EXPECT_FALSE(person.personal_data.contains("phone"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'panel.details' AND detail NOT LIKE '%example.org%'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'panel.email_confirmed' AND detail NOT LIKE '%example.org%'"), 1);
  // Sign-in links now go to the new address only.
  cookie.clear();
  member_cookie.clear();
  const size_t mails = store->outbox()->size();
  request_link("ada%40example.org");
  EXPECT_EQ(store->outbox()->size(), mails);  // the old address gets nothing
  sign_in("ada.new%40example.org");
  EXPECT_EQ(store->outbox()->back().to, "ada.new@example.org");
}

TEST_F(PanelPagesTest, AKnownFactIsNotAskedAgainAndNewAnswersBecomeFacts) {
  nlohmann::json doc = {
      {"title", "Estate parking"},
      {"opens", "2020-01-01"},
      {"closes", "2099-12-31"},
      {"questions",
       {{{"id", "home"}, {"type", "single_choice"}, {"text", "Do you own or rent your home?"},
         {"options", {"Owned", "Social rented", "Private rented"}}, {"fact_key", "tenure"}, {"required", true}},
        {{"id", "area"}, {"type", "free_text"}, {"text", "Which ward do you live in?"}, {"fact_key", "ward"}},
        {{"id", "permits"}, {"type", "yes_no"}, {"text", "Should permits be free?"}, {"required", true}}}}};
  const std::string base = "/en-GB/consultations/" + open_consultation(doc);
  // Anonymous residents are asked everything.
  auto anonymous_q1 = call("GET", base + "/questions/1");
  EXPECT_EQ(anonymous_q1.status, 200);
  EXPECT_NE(anonymous_q1.body.find("Question 1 of 3"), std::string::npos);

  auto m = add_member("ada@example.org", {fact("tenure", "Owned")});
  sign_in("ada%40example.org");
  auto first = call("GET", base + "/questions/1");
  ASSERT_EQ(first.status, 303);  // tenure is known: straight on to the ward
  EXPECT_EQ(header(first, "Location"), base + "/questions/2");
  auto q2 = call("GET", base + "/questions/2");
  ASSERT_EQ(q2.status, 200);
  EXPECT_NE(q2.body.find(R"(href=")" + base + R"(" class="govuk-back-link")"), std::string::npos);  // back skips it too
  EXPECT_NE(q2.body.find("Question 1 of 2"), std::string::npos);  // she is asked two questions, not three
  std::string token = csrf_of(q2.body);
  ASSERT_EQ(call("POST", base + "/questions/2", "answer=Northfields&csrf=" + token).status, 303);
  ASSERT_EQ(call("POST", base + "/questions/3", "answer=yes&csrf=" + token).status, 303);
  auto check = call("GET", base + "/check");
  ASSERT_EQ(check.status, 200);
  EXPECT_NE(check.body.find("We already know this from your panel details, so we will not ask you again."), std::string::npos);
  EXPECT_NE(check.body.find(">Owned<"), std::string::npos);
  EXPECT_NE(check.body.find(base + "/questions/1?change=1"), std::string::npos);
  auto change = call("GET", base + "/questions/1?change=1");  // the change link still shows it
  EXPECT_EQ(change.status, 200);
  EXPECT_NE(change.body.find("Question 1 of 3"), std::string::npos);

  auto sent = call("POST", base + "/check", "csrf=" + token);
  ASSERT_EQ(sent.status, 303) << sent.body;
  std::string location = header(sent, "Location");
  std::string reference = location.substr(location.rfind('/') + 1);
  auto stored = store->response_by_reference(reference).value();
  EXPECT_EQ(stored.person_id.value_or(-1), m.person_id);
  EXPECT_EQ(stored.answers, (nlohmann::json{{"home", "Owned"}, {"area", "Northfields"}, {"permits", true}}));
  auto facts = store->member_facts(m.id).value();
  const auto* ward = panel::find_fact(facts, "ward");
  ASSERT_NE(ward, nullptr);
  EXPECT_EQ(ward->value, "Northfields");
  EXPECT_EQ(ward->channel, "online");
  EXPECT_EQ(ward->source, "response " + reference);
  EXPECT_EQ(panel::find_fact(facts, "tenure")->source, "join");  // unchanged
}

TEST_F(PanelPagesTest, SignOutEndsTheSession) {
  add_member("ada@example.org");
  sign_in("ada%40example.org");
  std::string member = member_cookie;
  std::string token = csrf_of(call("GET", "/en-GB/panel/me").body);
  EXPECT_EQ(call("POST", "/en-GB/panel/sign-out", "").status, 403);
  auto out = call("POST", "/en-GB/panel/sign-out", "csrf=" + token);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(header(out, "Location"), "/en-GB/panel/signed-out");
  EXPECT_TRUE(member_cookie.empty());
  member_cookie = member;  // a copied cookie no longer works either
  EXPECT_EQ(call("GET", "/en-GB/panel/me").status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pages_member_tokens"), 0);
}

TEST_F(PanelPagesTest, DeletingErasesTheMemberAndUnlinksTheirResponses) {
  auto m = add_member("ada@example.org", {fact("tenure", "Owned")});
  ASSERT_TRUE(store->set_equality_data(m.person_id, {{"religion", "None"}}).ok());
  ResponseSubmission s;
  s.consultation_id = id;
  s.person_id = m.person_id;
  s.answers = {{"agree", false}};
  auto mine = store->submit_responses({s}, responses_allowed()).front().value();
  sign_in("ada%40example.org");
  auto sure = call("GET", "/en-GB/panel/me/delete");
  ASSERT_EQ(sure.status, 200);
  EXPECT_NE(sure.body.find("Are you sure you want to delete your details?"), std::string::npos);
  std::string token = csrf_of(sure.body);
  EXPECT_EQ(call("POST", "/en-GB/panel/me/delete", "").status, 403);
  EXPECT_TRUE(store->get_member(m.id).ok());
  auto gone = call("POST", "/en-GB/panel/me/delete", "csrf=" + token);
  EXPECT_EQ(gone.status, 303);
  EXPECT_EQ(header(gone, "Location"), "/en-GB/panel/deleted");
  EXPECT_TRUE(member_cookie.empty());
  EXPECT_EQ(store->get_member(m.id).error().code, ErrorCode::kNotFound);
  auto kept = store->response_by_reference(mine.reference).value();
  EXPECT_FALSE(kept.person_id.has_value());
  EXPECT_EQ(kept.answers["agree"], false);
  EXPECT_EQ(count("SELECT COUNT(*) FROM people"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM equality_data"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM panel_facts"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pages_member_tokens"), 0);
  EXPECT_NE(call("GET", "/en-GB/panel/deleted").body.find("Your details have been deleted"), std::string::npos);
  EXPECT_EQ(call("GET", "/en-GB/panel/me").status, 303);
}

TEST_F(PagesTest, UnknownPagesGetTheLocalisedNotFoundPage) {
  auto cy = call("GET", "/cy/dim-byd-yma");
  EXPECT_EQ(cy.status, 404);
  EXPECT_EQ(cy.content_type, "text/html; charset=utf-8");
  EXPECT_NE(cy.body.find(R"(<html lang="cy" dir="ltr")"), std::string::npos);
  EXPECT_NE(cy.body.find("Heb ddod o hyd i’r dudalen"), std::string::npos);
  auto ar = call("GET", "/ar/consultations/c-999");
  EXPECT_EQ(ar.status, 404);
  EXPECT_NE(ar.body.find(R"(<html lang="ar" dir="rtl")"), std::string::npos);
  auto en = call("GET", "/en-GB/consultations/" + id + "/questions/99");
  EXPECT_EQ(en.status, 404);
  EXPECT_NE(en.body.find("<title>Page not found"), std::string::npos);
  EXPECT_NE(en.body.find(R"(<h1 class="govuk-heading-xl">Page not found</h1>)"), std::string::npos);
  // The API keeps its problem+json 404.
  auto api404 = call("GET", "/api/v1/nothing");
  EXPECT_EQ(api404.status, 404);
  EXPECT_EQ(api404.content_type, "application/problem+json");
}

}  // namespace
}  // namespace townhall::server
