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
