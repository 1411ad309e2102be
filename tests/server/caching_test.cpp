// Compression, conditional GET and Cache-Control of the residents' pages, the public API documents
// and the static assets, in process: a public page carries an ETag and is answered 304 when the
// browser already holds it; gzip decodes to the very bytes sent without it; anything personal (a
// session or member cookie, a question page, a member's page) is private, no-store with no ETag;
// assets are linked by fingerprinted names that are immutable, while their old names still work.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "http/compression.h"
#include "in_process.h"
#include "townhall/access/token.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

class Caching : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-caching");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    api = std::make_unique<Api>(*store, ApiOptions{});
    officer = new_bearer_token();
    ASSERT_TRUE(store->add_user(Role::kOfficer, "Olu", hash_token(officer)).ok());
    nlohmann::json doc = {{"title", "Library opening hours"},
                          {"summary", std::string(1200, 's')},  // big enough to be worth compressing
                          {"opens", "2020-01-01"},
                          {"closes", "2099-12-31"},
                          {"questions", {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}}}}};
    auto rec = store->create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}});
    ASSERT_TRUE(rec.ok());
    id = rec->id;
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      ASSERT_TRUE(store->transition_consultation(TransitionRecord{id, from, to, 0, {}, {}}).ok());
    }
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse get(const std::string& target, const std::string& if_none_match = "", const std::string& accept_encoding = "",
                   const std::string& cookie = "") {
    HttpRequest r;
    r.method = "GET";
    r.target = target;
    r.if_none_match = if_none_match;
    r.accept_encoding = accept_encoding;
    r.cookie = cookie;
    return testing::handle_and_wait(*api, r);
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  std::string dir, id, officer;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

TEST_F(Caching, PublicPagesCarryAnETagAndAreAnswered304WhenUnchanged) {
  for (const std::string& target : std::vector<std::string>{"/en-GB/", "/en-GB/consultations/" + id, "/ar/consultations/" + id, "/cy/accessibility"}) {
    auto first = get(target);
    ASSERT_EQ(first.status, 200) << target;
    EXPECT_EQ(header(first, "Cache-Control"), "public, no-cache") << target;
    std::string etag = header(first, "ETag");
    ASSERT_FALSE(etag.empty()) << target;
    auto again = get(target, etag);
    EXPECT_EQ(again.status, 304) << target;
    EXPECT_TRUE(again.body.empty()) << target;
    EXPECT_EQ(header(again, "ETag"), etag) << target;
    // Another validator (a page from before a change) gets the page itself.
    EXPECT_EQ(get(target, "\"0123456789abcdef\"").status, 200) << target;
  }
}

TEST_F(Caching, AChangeThroughTheApiGivesTheHubANewETag) {
  auto before = get("/cy/consultations/" + id);
  std::string etag = header(before, "ETag");
  ASSERT_FALSE(etag.empty());
  HttpRequest put;
  put.method = "PUT";
  put.target = "/api/v1/consultations/" + id + "/translations/cy";
  put.authorization = "Bearer " + officer;
  put.content_type = "application/json";
  put.body = R"({"title":"Oriau llyfrgell"})";
  auto done = testing::handle_and_wait(*api, put);
  ASSERT_LT(done.status, 300) << done.body;
  auto after = get("/cy/consultations/" + id, etag);
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(after.body.find("Oriau llyfrgell"), std::string::npos);
  EXPECT_NE(header(after, "ETag"), etag);
}

// The Forward Plan page is kept like the hub: an ETag and 304 while the register is unchanged, a
// new page and ETag once a key decision is recorded through the API.
TEST_F(Caching, TheForwardPlanPageIsKeptAndFollowsTheRegister) {
  const std::string governance = new_bearer_token();
  ASSERT_TRUE(store->add_user(Role::kGovernance, "Gita", hash_token(governance)).ok());
  auto first = get("/cy/forward-plan");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(header(first, "Cache-Control"), "public, no-cache");
  const std::string etag = header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(get("/cy/forward-plan", etag).status, 304);
  const std::string matter = "Award of the street lighting contract";
  nlohmann::json kd = {{"id", "kd-lights"},
                       {"matter", matter},
                       {"decision_maker", {{"name", "Cllr Asha Patel"}, {"title", "Cabinet Member for Highways"}}},
                       {"decision_date", "2099-07-17"},
                       {"value_pence", 12000000},
                       {"treated_as_key", true},
                       {"assessment_reasons", "Spend over £100,000"}};
  HttpRequest put;
  put.method = "PUT";
  put.target = "/api/v1/key-decisions/kd-lights";
  put.authorization = "Bearer " + governance;
  put.content_type = "application/json";
  put.body = kd.dump();
  auto done = testing::handle_and_wait(*api, put);
  ASSERT_LT(done.status, 300) << done.body;
  auto after = get("/cy/forward-plan", etag);
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(after.body.find(matter), std::string::npos);
  EXPECT_NE(header(after, "ETag"), etag);
  EXPECT_EQ(get("/cy/forward-plan", header(after, "ETag")).status, 304);
}

TEST_F(Caching, GzipDecodesToTheSameBytes) {
  for (const std::string& target : std::vector<std::string>{"/en-GB/consultations/" + id, "/en-GB/", "/api/v1/consultations",
                                   "/en-GB/consultations/" + id + "/questions/1"}) {
    auto plain = get(target);
    auto coded = get(target, "", "br;q=1.0, gzip;q=0.8, *;q=0.1");
    ASSERT_EQ(plain.status, 200) << target;
    ASSERT_EQ(coded.status, 200) << target;
    EXPECT_EQ(header(plain, "Content-Encoding"), "") << target;
    EXPECT_EQ(header(coded, "Content-Encoding"), "gzip") << target;
    EXPECT_EQ(header(plain, "Vary"), "Accept-Encoding") << target;
    EXPECT_EQ(header(coded, "Vary"), "Accept-Encoding") << target;
    EXPECT_LT(coded.body.size(), plain.body.size()) << target;
    if (target.find("/questions/") != std::string::npos) continue;  // a new CSRF token each time
    EXPECT_EQ(gunzip(coded.body), plain.body) << target;
  }
  // gzip refused explicitly, or not offered: identity.
  EXPECT_EQ(header(get("/en-GB/", "", "gzip;q=0, *"), "Content-Encoding"), "");
  EXPECT_EQ(header(get("/en-GB/", "", "br"), "Content-Encoding"), "");
}

// A personal page is coded by deflating only its content between the layout's parts, coded
// once; whatever the sizes, the member inflates (zlib's own inflate) to exactly the page.
TEST_F(Caching, AFramedGzipMemberInflatesToTheWholeForAnyContent) {
  std::string words;
  for (int i = 0; words.size() < 70000; ++i) words += "govuk-body item-" + std::to_string(i * 7919 % 1000) + " ";
  std::string noise;
  uint32_t x = 12345;
  for (int i = 0; i < 50000; ++i) noise += static_cast<char>((x = x * 1103515245 + 12345) >> 24);
  const std::vector<std::string> heads = {"", "<html><head><title>t</title></head><body>", words};
  const std::vector<std::string> tails = {"", "</body></html>", words.substr(0, 40000)};
  const std::vector<std::string> middles = {"", "x", "<p class=\"govuk-body\">Do you agree?</p>", words, noise};
  for (const auto& head : heads) {
    for (const auto& tail : tails) {
      FramedGzip framed(head, tail);
      for (const auto& middle : middles) {
        const std::string whole = head + middle + tail;
        auto coded = framed.gzip(whole, 1);
        ASSERT_TRUE(coded.has_value());
        EXPECT_EQ(gunzip(*coded), whole) << head.size() << " " << middle.size() << " " << tail.size();
      }
      // Not this frame's text: nothing, so the caller codes the whole.
      // A part spliced in as stored blocks (more than one past 65,535 bytes).
      SplicedGzip spliced(head, tail);
      for (const auto& middle : middles) {
        EXPECT_EQ(gunzip(spliced.gzip(middle)), head + middle + tail) << head.size() << " " << middle.size();
      }
      EXPECT_EQ(gunzip(spliced.gzip(noise + noise)), head + noise + noise + tail);
      if (!head.empty()) {
        EXPECT_FALSE(framed.gzip("other" + tail, 1).has_value());
      }
      if (!tail.empty()) {
        EXPECT_FALSE(framed.gzip(head + "other", 1).has_value());
      }
    }
  }
}

// A question page before anything is answered on it is rendered once and kept; each resident
// still gets their own session's CSRF token, which only their session accepts, and a change to
// the public content is shown at once.
TEST_F(Caching, AKeptQuestionPageCarriesEachSessionsOwnTokenAndFollowsChanges) {
  const std::string q1 = "/cy/consultations/" + id + "/questions/1";
  auto cookie_of = [](const HttpResponse& r) {
    for (const auto& [k, v] : r.headers) {
      if (k == "Set-Cookie") return v.substr(0, v.find(';'));
    }
    return std::string();
  };
  auto token_of = [](const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(name="csrf" value="([0-9a-f]{64})")re");
    return std::regex_search(html, m, re) ? m[1].str() : std::string();
  };
  auto first = get(q1), second = get(q1);
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  const std::string cookie1 = cookie_of(first), cookie2 = cookie_of(second);
  const std::string token1 = token_of(first.body), token2 = token_of(second.body);
  ASSERT_FALSE(token1.empty());
  ASSERT_FALSE(token2.empty());
  ASSERT_NE(cookie1, cookie2);
  EXPECT_NE(token1, token2);
  // The pages differ only in the token.
  std::string a = first.body, b = second.body;
  a.replace(a.find(token1), token1.size(), "T");
  b.replace(b.find(token2), token2.size(), "T");
  EXPECT_EQ(a, b);
  // Seen again, and gzip-coded: the same session's token.
  auto again = get(q1, "", "gzip", cookie1);
  ASSERT_EQ(header(again, "Content-Encoding"), "gzip");
  const std::string inflated = gunzip(again.body);
  EXPECT_EQ(token_of(inflated), token1);
  // The content may point back into the layout, so the page codes about as small as coded whole.
  EXPECT_LE(again.body.size(), gzip(inflated, 1).size() * 11 / 10);
  auto post = [&](const std::string& cookie, const std::string& token) {
    HttpRequest r;
    r.method = "POST";
    r.target = q1;
    r.cookie = cookie;
    r.content_type = "application/x-www-form-urlencoded";
    r.body = "answer=yes&csrf=" + token;
    return testing::handle_and_wait(*api, r).status;
  };
  EXPECT_EQ(post(cookie2, token1), 403);  // another session's token
  EXPECT_EQ(post(cookie1, token1), 303);
  EXPECT_EQ(post(cookie2, token2), 303);
  // A Welsh translation of the question, put through the API, is on the very next view.
  EXPECT_EQ(get(q1).body.find("cytuno?"), std::string::npos);
  HttpRequest put;
  put.method = "PUT";
  put.target = "/api/v1/consultations/" + id + "/translations/cy";
  put.authorization = "Bearer " + officer;
  put.content_type = "application/json";
  put.body = R"({"questions":{"agree":{"text":"Ydych chi'n cytuno?"}}})";
  auto done = testing::handle_and_wait(*api, put);
  ASSERT_LT(done.status, 300) << done.body;
  auto translated = get(q1);
  EXPECT_NE(translated.body.find("cytuno?"), std::string::npos) << translated.body.substr(translated.body.find("<h1"), 400);
}

TEST_F(Caching, AcceptEncodingIsReadWithItsQValues) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000, *;q=1"));
  EXPECT_FALSE(accepts_gzip("gzip;q=abc"));
  EXPECT_THROW(gunzip("not gzip at all"), std::runtime_error);
}

TEST_F(Caching, PersonalAnswersArePrivateNoStoreWithoutValidators) {
  // A browser session's cookie makes even the hub personal; an If-None-Match gets no 304.
  auto hub = get("/en-GB/", "", "", "th_session=abc");
  EXPECT_EQ(hub.status, 200);
  EXPECT_EQ(header(hub, "Cache-Control"), "private, no-store");
  EXPECT_EQ(header(hub, "ETag"), "");
  auto etag = header(get("/en-GB/"), "ETag");
  EXPECT_EQ(get("/en-GB/", etag, "", "th_member=xyz").status, 200);
  // A question page sets a session and carries its CSRF token.
  auto question = get("/en-GB/consultations/" + id + "/questions/1");
  EXPECT_EQ(question.status, 200);
  EXPECT_EQ(header(question, "Cache-Control"), "private, no-store");
  EXPECT_EQ(header(question, "ETag"), "");
  EXPECT_NE(header(question, "Set-Cookie"), "");
  // A member's page, signed in or not, and the sign-in form.
  for (const std::string target : {"/en-GB/panel/me", "/en-GB/panel/sign-in"}) {
    auto r = get(target);
    EXPECT_EQ(header(r, "Cache-Control").find("no-store") != std::string::npos ||
                  header(r, "Cache-Control") == "private, no-store",
              true)
        << target;
    EXPECT_EQ(header(r, "ETag"), "") << target;
  }
  // The API's documents for a signed-in officer (drafts show) stay no-store.
  HttpRequest list;
  list.method = "GET";
  list.target = "/api/v1/consultations";
  list.authorization = "Bearer " + officer;
  auto r = testing::handle_and_wait(*api, list);
  EXPECT_EQ(header(r, "Cache-Control"), "no-store");
  EXPECT_EQ(header(r, "ETag"), "");
}

TEST_F(Caching, AssetsAreLinkedByFingerprintedImmutableNamesAndOldNamesStillWork) {
  auto page = get("/en-GB/");
  std::smatch m;
  const std::string body = page.body;
  ASSERT_TRUE(std::regex_search(body, m, std::regex(R"re(href="(/assets/townhall\.([0-9a-f]{12})\.css)")re")));
  std::string fingerprinted = m[1].str();
  ASSERT_TRUE(std::regex_search(body, m, std::regex(R"re(href="(/assets/govuk-frontend\.min\.[0-9a-f]{12}\.css)")re")));
  std::string govuk = m[1].str();
  ASSERT_TRUE(std::regex_search(body, m, std::regex(R"re(src="(/assets/townhall\.[0-9a-f]{12}\.js)")re")));

  auto fresh = get(fingerprinted);
  ASSERT_EQ(fresh.status, 200);
  EXPECT_EQ(header(fresh, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(fresh.content_type, "text/css; charset=utf-8");
  // The old name: the same bytes, revalidated every time (so never stale), 304 when unchanged.
  auto old = get("/assets/townhall.css");
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(old.body, fresh.body);
  EXPECT_EQ(header(old, "Cache-Control"), "public, no-cache");
  EXPECT_EQ(get("/assets/townhall.css", header(old, "ETag")).status, 304);
  // A fingerprint of other bytes is not these bytes.
  EXPECT_EQ(get("/assets/townhall.000000000000.css").status, 404);

  // GOV.UK's stylesheet, compressed once: gzip decodes to the stylesheet, which names the
  // fingerprinted images and the fonts (whose names GOV.UK already fingerprints).
  auto css = get(govuk);
  auto css_gz = get(govuk, "", "gzip");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(header(css_gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(gunzip(css_gz.body), css.body);
  EXPECT_LT(css_gz.body.size() * 4, css.body.size());
  EXPECT_EQ(css.body.find("/assets/images/govuk-crest.svg"), std::string::npos);
  EXPECT_NE(css.body.find("/assets/images/govuk-crest."), std::string::npos);
  // GOV.UK's typeface is licensed for GOV.UK only: the stylesheet makes no browser fetch it.
  EXPECT_EQ(css.body.find("/assets/fonts/"), std::string::npos);
  // Its font files keep GOV.UK's own fingerprinted names, immutable under them.
  std::string font_name;
  for (const auto& e : std::filesystem::directory_iterator(std::string(TOWNHALL_SOURCE_DIR) +
                                                           "/web/node_modules/govuk-frontend/dist/govuk/assets/fonts")) {
    if (e.path().extension() == ".woff2") font_name = e.path().filename().string();
  }
  ASSERT_FALSE(font_name.empty());
  m = std::smatch();
  auto font = get("/assets/fonts/" + font_name);
  EXPECT_EQ(font.status, 200);
  EXPECT_EQ(header(font, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(get("/assets/fonts/" + font_name, "", "gzip"), "Content-Encoding"), "");  // compressed already
}

}  // namespace
}  // namespace townhall::server
