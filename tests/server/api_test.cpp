// The API in process: every route × role against an independently written matrix, the OpenAPI
// document against the route table, and the request pipeline's 4xx answers (nothing written).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/store/token.h"
#include "townhall/util/json_schema.h"

namespace townhall::server {
namespace {

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/townhall-api-XXXXXX";
    dir = mkdtemp(tmpl);
    store = std::move(open_sqlite_store(dir + "/t.db")).value();
    ApiOptions o;
    o.body_limit = 4096;
    api = std::make_unique<Api>(*store, o);
    for (Role r : {Role::kPanelMember, Role::kOfficer, Role::kGovernance, Role::kAdmin}) {
      std::string t = new_bearer_token();
      ASSERT_TRUE(store->add_user(r, role_id(r), hash_token(t)).ok());
      tokens[r] = t;
    }
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(const std::string& method, const std::string& target, Role role = Role::kPublic,
                    const std::string& body = "", const std::string& content_type = "application/json") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    if (role != Role::kPublic) r.authorization = "Bearer " + tokens[role];
    r.body = body;
    if (!body.empty()) r.content_type = content_type;
    HttpResponse out;
    bool called = false;
    api->handle(r, [&](HttpResponse res) {
      out = std::move(res);
      called = true;
    });
    // Response submissions complete on the writer thread; wait for them.
    for (int i = 0; i < 500 && !called; ++i) usleep(2000);
    EXPECT_TRUE(called);
    return out;
  }

  nlohmann::json problem_of(const HttpResponse& r) {
    EXPECT_EQ(r.content_type, "application/problem+json") << r.body;
    auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["status"], r.status);
    EXPECT_TRUE(j.contains("type") && j.contains("title") && j.contains("detail"));
    return j;
  }

  std::string dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  std::map<Role, std::string> tokens;
};

// Written from the design (DESIGN.md §5 and the issue), not from the route table.
const std::map<std::string, std::set<std::string>>& expected_matrix() {
  static const std::map<std::string, std::set<std::string>> m = {
      {"GET /health", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/openapi.json", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/me", {"panel_member", "officer", "governance", "admin"}},
      {"POST /api/v1/users", {"admin"}},
      {"GET /api/v1/consultations", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /api/v1/consultations", {"officer", "admin"}},
      {"GET /api/v1/consultations/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"PUT /api/v1/consultations/{id}", {"officer", "admin"}},
      {"DELETE /api/v1/consultations/{id}", {"officer", "admin"}},
      {"GET /api/v1/consultations/{id}/questions", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/consultations/{id}/findings", {"officer", "governance", "admin"}},
      {"POST /api/v1/consultations/{id}/transitions", {"officer", "admin"}},
      {"POST /api/v1/consultations/{id}/responses", {"public", "panel_member", "officer", "admin"}},
      {"GET /api/v1/consultations/{id}/responses", {"officer", "admin"}},
      {"GET /api/v1/responses/{reference}", {"officer", "admin"}},
      {"PUT /api/v1/key-decisions/{id}", {"governance", "admin"}},
      {"GET /api/v1/key-decisions/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/forward-plan", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/forward-plan/compliance", {"officer", "governance", "admin"}},
      {"GET /api/v1/forward-plan.csv", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/forward-plan.atom", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/forward-plan.ics", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/audit", {"governance", "admin"}},
      {"GET /api/v1/audit/verify", {"governance", "admin"}},
      // Citizens' Panel (DESIGN.md §2.5–2.6, §5: members see and erase only their own data).
      {"POST /api/v1/panel/join", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /api/v1/panel/import", {"officer", "admin"}},
      {"GET /api/v1/panel/members", {"officer", "admin"}},
      {"GET /api/v1/panel/members/{id}", {"officer", "admin"}},
      {"DELETE /api/v1/panel/members/{id}", {"officer", "admin"}},
      {"GET /api/v1/me/panel", {"panel_member"}},
      {"DELETE /api/v1/me/panel", {"panel_member"}},
      {"GET /api/v1/consultations/{id}/my-questions", {"panel_member", "officer", "admin"}},
      {"POST /api/v1/panel/invitations", {"officer", "admin"}},
      {"GET /api/v1/panel/report", {"officer", "governance", "admin"}},
      {"GET /api/v1/consultations/{id}/repeated-questions", {"officer", "governance", "admin"}},
  };
  return m;
}

TEST_F(ApiTest, EveryRouteTimesEveryRoleMatchesTheMatrix) {
  auto routes = api->routes();
  ASSERT_EQ(routes.size(), expected_matrix().size());
  int checked = 0;
  for (const auto& route : routes) {
    std::string key = route.method + " " + route.pattern;
    auto it = expected_matrix().find(key);
    ASSERT_NE(it, expected_matrix().end()) << "route not in the matrix: " << key;
    std::string target = route.pattern;
    // An unknown id: authorisation is decided before the lookup, and nothing gets changed.
    if (auto p = target.find("{id}"); p != std::string::npos) target.replace(p, 4, "c-404");
    if (auto p = target.find("{reference}"); p != std::string::npos) target.replace(p, 11, "TH-0000-0000");
    for (Role role : all_roles()) {
      auto res = call(route.method, target, role, route.body_schema.empty() ? "" : "{}");
      bool allowed = it->second.count(role_id(role)) > 0;
      if (allowed) {
        EXPECT_NE(res.status, 401) << key << " as " << role_id(role) << ": " << res.body;
        EXPECT_NE(res.status, 403) << key << " as " << role_id(role) << ": " << res.body;
      } else {
        EXPECT_EQ(res.status, role == Role::kPublic ? 401 : 403) << key << " as " << role_id(role);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 35 * 5);
  EXPECT_EQ(store->list_consultations({})->total, 0);
}

TEST_F(ApiTest, OpenApiDocumentDescribesExactlyTheRoutes) {
  auto res = call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(res.status, 200);
  auto doc = nlohmann::json::parse(res.body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> documented;
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(m + " " + path);
    }
  }
  std::set<std::string> served;
  for (const auto& r : api->routes()) {
    std::string key = r.method + " " + r.pattern;
    served.insert(key);
    EXPECT_TRUE(documented.count(key)) << key << " is missing from openapi.json";
    std::string lower = r.method;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto& op = doc["paths"][r.pattern][lower];
    std::set<std::string> roles;
    for (const auto& x : op["x-roles"]) roles.insert(x.get<std::string>());
    std::set<std::string> declared;
    for (Role role : r.roles) declared.insert(role_id(role));
    EXPECT_EQ(roles, declared) << key << ": x-roles differ from the route's roles";
    if (!r.body_schema.empty()) {
      EXPECT_EQ(op["requestBody"]["content"]["application/json"]["schema"]["$ref"], r.body_schema) << key;
      EXPECT_FALSE(embedded_schema(r.body_schema).empty()) << r.body_schema;
    }
  }
  for (const auto& d : documented) EXPECT_TRUE(served.count(d)) << d << " is documented but not served";
}

TEST_F(ApiTest, PipelineRejectsBadRequestsWithProblemJsonAndWritesNothing) {
  const std::string ok_body = R"({"title":"Parks"})";
  auto r = call("GET", "/api/v1/nowhere");
  EXPECT_EQ(r.status, 404);
  problem_of(r);

  r = call("PATCH", "/api/v1/consultations", Role::kOfficer);
  EXPECT_EQ(r.status, 405);
  problem_of(r);
  bool has_allow = false;
  for (auto& [k, v] : r.headers) {
    if (k == "Allow") {
      has_allow = true;
      EXPECT_EQ(v, "GET, POST");
    }
  }
  EXPECT_TRUE(has_allow);

  r = call("POST", "/api/v1/consultations", Role::kOfficer, ok_body, "text/plain");
  EXPECT_EQ(r.status, 415);
  r = call("POST", "/api/v1/consultations", Role::kOfficer, ok_body, "application/json; charset=latin-1");
  EXPECT_EQ(r.status, 415);
  r = call("POST", "/api/v1/consultations", Role::kOfficer, std::string("{\"title\":\"Caf\xc3\"}"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(problem_of(r)["type"], "urn:townhall:problem:invalid-utf8");
  r = call("POST", "/api/v1/consultations", Role::kOfficer, std::string("{\"title\":\"\xed\xa0\x80\"}"));  // surrogate
  EXPECT_EQ(r.status, 400);
  r = call("POST", "/api/v1/consultations", Role::kOfficer, R"({"title": "Parks",)");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(problem_of(r)["type"], "urn:townhall:problem:invalid-json");
  r = call("POST", "/api/v1/consultations", Role::kOfficer, R"({"title":"Parks","colour":"red"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(problem_of(r)["pointer"], "/colour");
  r = call("POST", "/api/v1/consultations", Role::kOfficer, R"({"title":"Parks","opens":"2026-02-30"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(problem_of(r)["pointer"], "/opens");
  r = call("POST", "/api/v1/consultations", Role::kOfficer,
           R"({"title":"P","questions":[{"id":"a","type":"yes_no","text":"x"},{"id":"a","type":"yes_no","text":"y"}]})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(problem_of(r)["pointer"], "/questions/1/id");
  r = call("POST", "/api/v1/consultations", Role::kOfficer, R"({"title":")" + std::string(5000, 'x') + "\"}");
  EXPECT_EQ(r.status, 413);
  r = call("GET", "/api/v1/me", Role::kPublic);
  EXPECT_EQ(r.status, 401);
  HttpRequest bad;
  bad.method = "GET";
  bad.target = "/api/v1/me";
  bad.authorization = "Bearer " + std::string(64, 'a');
  api->handle(bad, [](HttpResponse res) { EXPECT_EQ(res.status, 401); });
  EXPECT_EQ(store->list_consultations({})->total, 0);

  r = call("POST", "/api/v1/consultations", Role::kOfficer, ok_body, "Application/JSON; charset=UTF-8");
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(store->list_consultations({})->total, 1);
}

TEST_F(ApiTest, DraftsAreHiddenFromThePublicAndListingsValidateQueries) {
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, R"({"title":"Secret draft"})").status, 201);
  EXPECT_EQ(call("GET", "/api/v1/consultations/c-1").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/consultations/c-1", Role::kPanelMember).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/consultations/c-1", Role::kOfficer).status, 200);
  EXPECT_EQ(nlohmann::json::parse(call("GET", "/api/v1/consultations?status=draft").body)["total"], 0);
  EXPECT_EQ(nlohmann::json::parse(call("GET", "/api/v1/consultations?status=draft", Role::kOfficer).body)["total"], 1);
  auto r = call("GET", "/api/v1/consultations?sort=colour");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(problem_of(r)["pointer"], "?sort");
  EXPECT_EQ(call("GET", "/api/v1/consultations?limit=1000").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/consultations?limit=ten").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/consultations?status=pending").status, 400);
}

TEST_F(ApiTest, StaleEditIsRefusedWithPreconditionFailed) {
  auto created = call("POST", "/api/v1/consultations", Role::kOfficer, R"({"title":"One"})");
  ASSERT_EQ(created.status, 201);
  HttpRequest put;
  put.method = "PUT";
  put.target = "/api/v1/consultations/c-1";
  put.authorization = "Bearer " + tokens[Role::kOfficer];
  put.content_type = "application/json";
  put.body = R"({"title":"Two"})";
  put.if_match = "\"1\"";
  int status = 0;
  api->handle(put, [&](HttpResponse res) { status = res.status; });
  EXPECT_EQ(status, 200);
  put.body = R"({"title":"Three"})";
  api->handle(put, [&](HttpResponse res) { status = res.status; });  // still If-Match "1"
  EXPECT_EQ(status, 412);
  EXPECT_EQ(store->get_consultation("c-1")->document["title"], "Two");
}

TEST(Utf8, AcceptsWellFormedAndRejectsMalformed) {
  size_t at = 0;
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_FALSE(is_valid_utf8("ab\xc0\xaf", &at));  // overlong '/'
  EXPECT_EQ(at, 2u);
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation byte
}

}  // namespace
}  // namespace townhall::server

namespace townhall::server {
namespace {

TEST_F(ApiTest, ScheduleOpensAndClosesOnTheirDatesThroughTheChecks) {
  nlohmann::json doc = {{"title", "Bus shelters"},
                        {"opens", "2027-03-01"},
                        {"closes", "2027-04-11"},
                        {"proposal", "p"},
                        {"reasons", "r"},
                        {"options_considered", {{{"option", "a"}}, {{"option", "b"}, {"rejected", true}}}}};
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, doc.dump()).status, 201);
  ASSERT_EQ(call("POST", "/api/v1/consultations/c-1/transitions", Role::kOfficer, R"({"to":"scheduled"})").status, 200);
  // A big five-week one, scheduled under a recorded exception: the exception carries to opening.
  doc["title"] = "Library hours";
  doc["big_decision"] = true;
  doc["closes"] = "2027-04-04";
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, doc.dump()).status, 201);
  ASSERT_EQ(call("POST", "/api/v1/consultations/c-2/transitions", Role::kOfficer, R"({"to":"scheduled"})").status, 409);
  ASSERT_EQ(call("POST", "/api/v1/consultations/c-2/transitions", Role::kOfficer,
                 R"({"to":"scheduled","exception":{"reason":"Budget deadline","approved_by":"J. Smith"}})").status, 200);
  // A draft is never opened by the schedule.
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, doc.dump()).status, 201);

  EXPECT_TRUE(api->run_schedule(*Date::parse("2027-02-28")).empty());
  auto opened = api->run_schedule(*Date::parse("2027-03-01"));
  EXPECT_EQ(opened, (std::vector<std::string>{"c-1 open", "c-2 open"}));
  EXPECT_EQ(store->get_consultation("c-3")->status, "draft");
  EXPECT_TRUE(api->run_schedule(*Date::parse("2027-04-04")).empty());  // c-2 is open through its last day
  EXPECT_EQ(api->run_schedule(*Date::parse("2027-04-05")), (std::vector<std::string>{"c-2 closed"}));
  EXPECT_EQ(api->run_schedule(*Date::parse("2027-04-12")), (std::vector<std::string>{"c-1 closed"}));
  EXPECT_EQ(store->get_consultation("c-1")->status, "closed");
  int system_transitions = 0;
  auto entries = store->audit_entries();
  ASSERT_TRUE(entries.ok());
  for (const auto& e : entries.value()) {
    if (e.event.actor == "system (schedule)" && e.event.action == "consultation.transition") ++system_transitions;
  }
  EXPECT_EQ(system_transitions, 4);
}

}  // namespace
}  // namespace townhall::server
