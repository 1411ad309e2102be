// The residents' pages when something fails under them: a store failure gives the localised
// "problem with the service" page in the request's language, never the API's problem+json nor the
// database's own words.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include <SQLiteCpp/SQLiteCpp.h>

#include "in_process.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

class PageErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-page-errors");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    api = std::make_unique<Api>(*store, ApiOptions{});
    nlohmann::json doc = {{"title", "Library hours"},
                          {"opens", "2020-01-01"},
                          {"closes", "2099-12-31"},
                          {"questions", {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}}}}};
    auto rec = store->create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}});
    ASSERT_TRUE(rec.ok());
    testing::open_without_checks(*store, rec->id);
    id = rec->id;
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "") {
    return testing::browser_request(*api, method, target, body, cookie);
  }

  static std::string csrf_of(const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(name="csrf" value="([0-9a-f]{64})")re");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }

  std::string dir, id, cookie;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

// A store that fails under a page gives the localised "problem with the service" page, never the
// API's problem+json nor the database's own words.
TEST_F(PageErrorsTest, AStoreFailureGetsTheLocalisedErrorPageWithoutTheDatabasesWords) {
  auto expect_error_page = [](const HttpResponse& r, const std::string& lang, const std::string& title) {
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_NE(r.body.find(R"(<html lang=")" + lang + R"(")"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find(title), std::string::npos) << r.body;
    for (const char* leak : {"no such table", "SQLite", "sqlite", "pages_drafts", "consultations_moved"}) {
      EXPECT_EQ(r.body.find(leak), std::string::npos) << leak;
    }
  };
  std::string q1 = "/cy/consultations/" + id + "/questions/1";
  std::string token = csrf_of(call("GET", q1).body);
  ASSERT_FALSE(token.empty());
  {
    SQLite::Database raw(dir + "/t.db", SQLite::OPEN_READWRITE);
    raw.exec("ALTER TABLE pages_drafts RENAME TO pages_drafts_moved");
  }
  // Saving the answer fails: the page says so in Welsh.
  expect_error_page(call("POST", q1, "answer=yes&csrf=" + token), "cy",
                    "Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth");
  {
    SQLite::Database raw(dir + "/t.db", SQLite::OPEN_READWRITE);
    raw.exec("ALTER TABLE consultations RENAME TO consultations_moved");
  }
  // Listing consultations fails on the hub, in Arabic and in English.
  expect_error_page(call("GET", "/ar/"), "ar", "عذرًا، هناك مشكلة في الخدمة");
  expect_error_page(call("GET", "/en-GB/"), "en-GB", "Sorry, there is a problem with the service");
}

}  // namespace
}  // namespace townhall::server
