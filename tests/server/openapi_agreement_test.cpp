// The server and its OpenAPI document say the same thing: what the document allows the server
// takes, and what the server refuses the document rules out. One test per disagreement found by
// Schemathesis (tests/api/test_openapi.py runs it against the real server in CI).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "in_process.h"
#include "townhall/date.h"
#include "townhall/i18n/catalog.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"

namespace townhall::server {
namespace {

class Agreement : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-agreement");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    api = std::make_unique<Api>(*store);
    officer = new_bearer_token();
    ASSERT_TRUE(store->add_user(Role::kOfficer, "Olu", hash_token(officer)).ok());
    auto created = call("POST", "/api/v1/consultations", officer, {{"title", "Parks"}});
    ASSERT_EQ(created.status, 201) << created.body;
    id = nlohmann::json::parse(created.body)["id"];
    doc = nlohmann::json::parse(call("GET", "/api/v1/openapi.json").body);
  }
  void TearDown() override {
    api.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(const std::string& method, const std::string& target, const std::string& token = "",
                    const nlohmann::json& body = nullptr, const std::string& raw_body = "",
                    const std::string& content_type = "application/json") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    if (!token.empty()) r.authorization = "Bearer " + token;
    r.body = body.is_null() ? raw_body : body.dump();
    if (!r.body.empty()) r.content_type = content_type;
    return testing::handle_and_wait(*api, r);
  }
  static std::string type_of(const HttpResponse& r) {
    if (r.content_type != "application/problem+json") return "";
    return nlohmann::json::parse(r.body).value("type", "");
  }
  // The schema of a query or path parameter of GET `path` in the served document.
  nlohmann::json parameter_schema(const std::string& path, const std::string& name, const std::string& method = "get") {
    for (auto p : doc["paths"][path][method]["parameters"]) {
      if (p.contains("$ref")) {
        p = doc.at(nlohmann::json::json_pointer(p["$ref"].get<std::string>().substr(1)));
      }
      if (p["name"] == name) return p["schema"];
    }
    ADD_FAILURE() << "no parameter " << name << " on " << path;
    return {};
  }

  std::string dir, officer, id;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  nlohmann::json doc;
};

// JSON Schema's "integer" is any number without a fractional part: 2.0 is the integer 2, and a
// generator working from the document sends it.
TEST_F(Agreement, WholeNumbersWrittenAsFloatsAreIntegers) {
  const std::string path = "/api/v1/consultations/" + id + "/transitions";
  auto whole = call("POST", path, officer, nlohmann::json::parse(R"({"to": "scheduled", "version": 1.0})"));
  EXPECT_NE(type_of(whole), "urn:townhall:problem:schema-violation") << whole.body;
  // Not whole, or too large for a double to hold exactly: still not an integer.
  for (const char* v : {"1.5", "1e300"}) {
    auto r = call("POST", path, officer, nlohmann::json::parse(std::string(R"({"to": "scheduled", "version": )") + v + "}"));
    EXPECT_EQ(r.status, 422) << v;
    EXPECT_EQ(type_of(r), "urn:townhall:problem:schema-violation") << v << ": " << r.body;
    EXPECT_EQ(nlohmann::json::parse(r.body)["pointer"], "/version") << v;
  }
}

// An integer the document allows is one the server can hold: fact values are bounded as every
// other integer is (past 2^64 a number is only a float to the server, and refused as "not an integer").
TEST_F(Agreement, FactIntegersAreBounded) {
  auto join = [&](const std::string& number) {
    return call("POST", "/api/v1/panel/join", "", nullptr,
                R"({"name": "Ada", "consent": true, "facts": {"household_size": )" + number + "}}");
  };
  EXPECT_EQ(join("9007199254740991").status, 201);
  for (const char* n : {"9007199254740992", "449527124388702584832", "-9007199254740992"}) {
    auto r = join(n);
    EXPECT_EQ(r.status, 422) << n << ": " << r.body;
    EXPECT_EQ(nlohmann::json::parse(r.body)["pointer"], "/facts/household_size") << n;
  }
}

// limit and offset are whole numbers in decimal digits: nothing the document's "integer" would not
// be (a '+', spaces, an empty value), and limit within its documented range; sort, when given, is
// one of the documented orders (an empty status is documented as every status).
TEST_F(Agreement, PagingParametersAreStrictIntegersInTheirRange) {
  EXPECT_EQ(parameter_schema("/api/v1/consultations", "limit"),
            nlohmann::json::parse(R"({"type": "integer", "minimum": 1, "maximum": 100, "default": 20})"));
  for (const char* q : {"limit=%2B5", "limit=+5", "limit=5%20", "limit=", "limit=0", "limit=101", "offset=-1", "offset=",
                        "offset=9223372036854775808", "limit=1.0", "sort=", "sort=colour"}) {
    auto r = call("GET", std::string("/api/v1/consultations?") + q, officer);
    EXPECT_EQ(r.status, 400) << q << ": " << r.body;
    EXPECT_EQ(type_of(r), "urn:townhall:problem:invalid-query") << q;
  }
  for (const char* q : {"limit=1", "limit=100", "offset=0", "offset=9223372036854775807", "sort=-title", "status="}) {
    EXPECT_EQ(call("GET", std::string("/api/v1/consultations?") + q, officer).status, 200) << q;
  }
}

// If-Match is the ETag GET gives ("1") or its bare number, nothing looser.
TEST_F(Agreement, IfMatchIsAnEtagOrNothing) {
  auto put = [&](const std::string& if_match) {
    HttpRequest r;
    r.method = "PUT";
    r.target = "/api/v1/consultations/" + id;
    r.authorization = "Bearer " + officer;
    r.content_type = "application/json";
    r.body = R"({"title": "Parks and gardens"})";
    r.if_match = if_match;
    return testing::handle_and_wait(*api, r);
  };
  const std::regex pattern(parameter_schema("/api/v1/consultations/{id}", "If-Match", "put")["pattern"].get<std::string>());
  for (const std::string bad : {"1abc", "0", "\"0\"", "-1", "+1", " 1", "\"1", "*", "W/\"1\""}) {
    EXPECT_FALSE(std::regex_search(bad, pattern)) << bad;
    auto r = put(bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_EQ(type_of(r), "urn:townhall:problem:invalid-if-match") << bad;
  }
  EXPECT_TRUE(std::regex_search(std::string("\"1\""), pattern));
  EXPECT_EQ(put("\"1\"").status, 200);
  EXPECT_EQ(put("1").status, 412);  // now at version 2
  EXPECT_EQ(put("2").status, 200);
}

// Each query parameter takes one value; a second one is refused rather than silently dropped.
TEST_F(Agreement, AQueryParameterGivenTwiceIsRefused) {
  auto api_answer = call("GET", "/api/v1/consultations/" + id + "?lang=cy&lang=ar", officer);
  EXPECT_EQ(api_answer.status, 400) << api_answer.body;
  EXPECT_EQ(type_of(api_answer), "urn:townhall:problem:invalid-query");
  EXPECT_EQ(call("GET", "/api/v1/consultations?status=draft&status=open", officer).status, 400);
  auto page = call("GET", "/cy?q=parc&q=llyfrgell");
  EXPECT_EQ(page.status, 400);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(call("GET", "/cy?q=parc&ward=Abbey").status, 200);
}

// The language tags the document describes (a language of 2–3 letters, optional script and
// region) are the ones the server takes; ICU alone would take "null" or "de-1996" too.
TEST_F(Agreement, LanguageTagsAreTheDocumentedShape) {
  const std::regex query_lang(parameter_schema("/api/v1/consultations/{id}", "lang")["pattern"].get<std::string>());
  const std::regex path_lang(
      parameter_schema("/api/v1/consultations/{id}/translations/{lang}", "lang")["pattern"].get<std::string>());
  for (const std::string tag : {"cy", "pa-Guru", "pt-BR", "zh-Hant-TW", "es-419", "ar"}) {
    EXPECT_TRUE(std::regex_search(tag, query_lang)) << tag;
    EXPECT_TRUE(std::regex_search(tag, path_lang)) << tag;
    EXPECT_EQ(call("GET", "/api/v1/consultations/" + id + "?lang=" + tag, officer).status, 200) << tag;
    EXPECT_EQ(call("GET", "/api/v1/consultations/" + id + "/translations/" + tag, officer).status, 404) << tag;
  }
  for (const std::string tag : {"null", "de-1996", "en-u-nu-latn", "x-private", "abcde", "und", "und-GB", "en_GB", ""}) {
    EXPECT_FALSE(std::regex_search(tag, query_lang)) << tag;
    EXPECT_EQ(call("GET", "/api/v1/consultations/" + id + "?lang=" + tag, officer).status, 400) << tag;
    if (tag.empty()) continue;
    EXPECT_FALSE(std::regex_search(tag, path_lang)) << tag;
    EXPECT_EQ(call("GET", "/api/v1/consultations/" + id + "/translations/" + tag, officer).status, 400) << tag;
  }
  // English is the source, not a translation: the path's pattern leaves it out, as the server does.
  for (const std::string tag : {"en", "EN-gb", "eng"}) {
    EXPECT_TRUE(std::regex_search(tag, query_lang)) << tag;
    EXPECT_FALSE(std::regex_search(tag, path_lang)) << tag;
    EXPECT_EQ(call("GET", "/api/v1/consultations/" + id + "/translations/" + tag, officer).status, 400) << tag;
  }
}

// Every date field's pattern accepts exactly the dates the core's Date::parse takes: real dates
// from 1900 to 2200.
TEST_F(Agreement, DatePatternIsExactlyTheDatesTheServerTakes) {
  std::vector<std::string> dates = {"0000-01-01", "2024-13-01", "2024-00-10", "2024-01-00", "2024-1-01", "12024-01-01",
                                    "2023-02-29", "2100-02-29", "1900-02-29", "2200-02-29", "2000-02-29", "2024-02-29",
                                    "2024-04-31", "2024-06-31", "2024-12-31", "2200-12-31", "2201-01-01", "1899-12-31",
                                    "1900-01-01"};
  for (int year : {1900, 2023, 2024, 2100}) {
    for (Date d = Date::from_ymd(year, 1, 1); d.year() == year; d = d.plus_days(1)) dates.push_back(d.iso());
  }
  int accepted = 0;
  for (const auto& text : dates) {
    nlohmann::json meeting = {{"kind", "event"}, {"title", "Drop-in"}, {"date", text}, {"starts_at", "10:00"}, {"place", "Library"}};
    bool schema_ok = validate_against_schema(meeting, "meeting.schema.json").ok();
    bool core_ok = Date::parse(text).ok();
    EXPECT_EQ(schema_ok, core_ok) << text;
    accepted += schema_ok;
    // The same pattern guards every date of a consultation.
    EXPECT_EQ(validate_against_schema({{"title", "t"}, {"opens", text}}, "consultation-draft.schema.json").ok(), core_ok)
        << text;
  }
  EXPECT_EQ(accepted, 365 + 365 + 366 + 365 + 5);
  // A date of the wrong type is a schema violation like any other (the validator must not stop
  // the server on it).
  auto r = call("POST", "/api/v1/consultations", officer, {{"title", "t"}, {"opens", {nullptr, nullptr}}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["pointer"], "/opens");
}

// A language tag (or a list of census variables) as long as a body may be is refused like any
// other wrong one: checking it against its pattern must not take the server down (an open-ended
// repetition in a pattern made the validator's std::regex recurse once per repetition, past the
// end of the stack). Patterns in schemas/ bound every repetition.
TEST_F(Agreement, AVeryLongLanguageTagIsRefusedNotFatal) {
  std::string tag = "en";
  while (tag.size() < 600000) tag += "-aa";
  EXPECT_FALSE(validate_against_schema({{"answers", nlohmann::json::object()}, {"language", tag}},
                                       "response-submission.schema.json").ok());
  EXPECT_FALSE(validate_against_schema({{"title", "t"}, {"languages", {tag}}}, "consultation-draft.schema.json").ok());
  std::string census = "ward";
  while (census.size() < 600000) census += ",ward";
  EXPECT_FALSE(validate_against_schema({{"census", census}}, "panel-report.schema.json").ok());
  EXPECT_TRUE(validate_against_schema({{"census", "ward,ethnicity,tenure,religion"}}, "panel-report.schema.json").ok());
  ApiOptions o;
  o.body_limit = 1 << 21;
  Api big(*store, o);
  HttpRequest r;
  r.method = "POST";
  r.target = "/api/v1/consultations/" + id + "/responses";
  r.content_type = "application/json";
  r.body = nlohmann::json{{"answers", nlohmann::json::object()}, {"language", tag}}.dump();
  auto res = testing::handle_and_wait(big, r);
  EXPECT_EQ(res.status, 422) << res.body.substr(0, 300);
  EXPECT_EQ(nlohmann::json::parse(res.body)["pointer"], "/language");
}

TEST_F(Agreement, NoSchemaKeywordCanStopTheValidator) {
  for (const auto& entry : std::filesystem::directory_iterator(std::string(TOWNHALL_SOURCE_DIR) + "/schemas")) {
    // openapi.json's own patterns describe query parameters, which the server reads without a regex.
    if (entry.path().extension() != ".json" || entry.path().filename() == "openapi.json") continue;
    auto schema = nlohmann::json::parse(embedded_schema(entry.path().filename().string()));
    std::vector<const nlohmann::json*> stack = {&schema};
    while (!stack.empty()) {
      const nlohmann::json* node = stack.back();
      stack.pop_back();
      if (node->is_object()) {
        if (auto p = node->find("pattern"); p != node->end() && p->is_string()) {
          const std::string pattern = *p;
          EXPECT_EQ(pattern.find(")*"), std::string::npos) << entry.path() << ": " << pattern;
          EXPECT_EQ(pattern.find(")+"), std::string::npos) << entry.path() << ": " << pattern;
        }
        // Nor "format": this valijson aborts the process when a value of another type than
        // string meets one (dates are patterns instead).
        if (auto f = node->find("format"); f != node->end() && f->is_string()) {
          ADD_FAILURE() << entry.path() << ": \"format\": \"" << f->get<std::string>() << "\"";
        }
      }
      if (node->is_structured()) {
        for (const auto& child : *node) stack.push_back(&child);
      }
    }
  }
}

// The pages' {lang} is one of the catalogs the server was built with, listed in the document.
TEST_F(Agreement, PageLanguagesAreTheCatalogs) {
  nlohmann::json want = i18n::CatalogSet::builtin().locales();
  EXPECT_EQ(parameter_schema("/{lang}", "lang"), nlohmann::json({{"enum", want}}));
  EXPECT_EQ(parameter_schema("/{lang}/panel/sign-out", "lang", "post"), nlohmann::json({{"enum", want}}));
  EXPECT_GE(want.size(), 10u);
}

// A member's form is checked before whether anyone is signed in, as every other form is: a POST
// that is not a form is a 400 (the document requires the body), not a redirect to sign in.
TEST_F(Agreement, MemberFormsAreCheckedBeforeTheSignIn) {
  for (const char* path : {"/cy/panel/me/delete", "/cy/panel/me/details/phone", "/cy/panel/me/facts/tenure"}) {
    auto r = call("POST", path);
    EXPECT_EQ(r.status, 400) << path;
    auto no_token = call("POST", path, "", nullptr, "value=x", "application/x-www-form-urlencoded");
    EXPECT_EQ(no_token.status, 403) << path;
  }
  EXPECT_TRUE(doc["paths"]["/{lang}/panel/sign-in/{token}"]["post"]["requestBody"]["required"].get<bool>());
}

// The pool report's query parameters are the documented values, and a server pointed at a census
// directory without the tables says so as its own fault (503), not the request's. (With no
// directory configured the tables built into the library are used, so they cannot be missing.)
TEST_F(Agreement, PoolReportParametersAndMissingCensusTables) {
  EXPECT_EQ(parameter_schema("/api/v1/panel/report", "by_ward")["enum"], nlohmann::json({"true", "false"}));
  const char* census = std::getenv("TOWNHALL_CENSUS_DIR");
  const char* shared = std::getenv("TOWNHALL_SHARED_DATA_DIR");
  std::string saved_census = census ? census : "", saved_shared = shared ? shared : "";
  setenv("TOWNHALL_CENSUS_DIR", dir.c_str(), 1);  // the test's own directory: no census tables in it
  unsetenv("TOWNHALL_SHARED_DATA_DIR");
  auto r = call("GET", "/api/v1/panel/report", officer);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(type_of(r), "urn:townhall:problem:census-unavailable");
  auto post = call("POST", "/api/v1/panel/report", officer, {{"census", "tenure"}});
  EXPECT_EQ(post.status, 503) << post.body;
  if (census) setenv("TOWNHALL_CENSUS_DIR", saved_census.c_str(), 1);
  else unsetenv("TOWNHALL_CENSUS_DIR");
  if (shared) setenv("TOWNHALL_SHARED_DATA_DIR", saved_shared.c_str(), 1);
  // Refused before the tables are read: values outside the documented ones, and empty values.
  for (const char* q : {"by_ward=maybe", "by_ward=", "census=", "census=tenure,", "census=,tenure", "borough="}) {
    auto bad = call("GET", std::string("/api/v1/panel/report?") + q, officer);
    EXPECT_EQ(bad.status, 400) << q << ": " << bad.body;
    EXPECT_EQ(type_of(bad), "urn:townhall:problem:invalid-query") << q;
  }
}

}  // namespace
}  // namespace townhall::server
