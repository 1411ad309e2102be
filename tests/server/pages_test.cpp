// The residents' web pages in process: language negotiation, lang/dir, escaping, the security
// headers, CSRF refusal, strict form parsing, GOV.UK error messages, and a response sent through
// the pages landing in the store with its language. Expected texts come from the GOV.UK Design
// System patterns and the catalogs' English/Welsh wording, not from the renderer.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "in_process.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

class PagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-pages");
    store = std::move(open_sqlite_store(dir + "/t.db")).value();
    api = std::make_unique<Api>(*store, ApiOptions{});
    nlohmann::json doc = {
        {"title", "Library <script>alert(1)</script> & hours"},
        {"summary", "Saturday \"opening\""},
        {"opens", "2020-01-01"},
        {"closes", "2099-12-31"},
        {"questions",
         {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
          {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}, {"max_length", 10}},
          {{"id", "mode"}, {"type", "single_choice"}, {"text", "How do you travel?"}, {"options", {"Bus", "Car"}}}}}};
    auto rec = store->create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}});
    ASSERT_TRUE(rec.ok());
    id = rec->id;
    for (auto [from, to] : {std::pair{"draft", "scheduled"}, std::pair{"scheduled", "open"}}) {
      TransitionRecord t;
      t.consultation_id = id;
      t.from = from;
      t.to = to;
      ASSERT_TRUE(store->transition_consultation(t).ok());
    }
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
    r.cookie = cookie;
    r.accept_language = accept_language;
    r.body = body;
    if (method == "POST") r.content_type = content_type;
    HttpResponse out = testing::handle_and_wait(*api, r);
    // Keep the session cookie the way a browser would.
    for (const auto& [k, v] : out.headers) {
      if (k == "Set-Cookie") cookie = v.substr(0, v.find(';'));
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

  std::string dir, id, cookie, accept_language;
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
  // The draft is gone: the check page starts empty again.
  EXPECT_NE(call("GET", base + "/check").body.find("Heb ateb"), std::string::npos);
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
  auto resumed = call("GET", link);
  EXPECT_EQ(resumed.status, 303);
  EXPECT_EQ(header(resumed, "Location"), base + "/questions/2");
  EXPECT_EQ(call("GET", link).status, 410);  // once only
}

TEST_F(PagesTest, TranslatedContentIsShownAndUntranslatedFieldsAreMarkedEnglish) {
  nlohmann::json welsh = {{"title", "Oriau’r llyfrgell"}, {"questions", {{"agree", {{"text", "Ydych chi’n cytuno?"}}}}}};
  ASSERT_TRUE(store->put_translation(id, "cy", welsh, AuditEvent{"test", "translation.put", "consultation", id, {}}).ok());
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
  ASSERT_TRUE(store->put_translation(id, "cy", with_options, AuditEvent{"test", "translation.put", "consultation", id, {}}).ok());
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

}  // namespace
}  // namespace townhall::server
