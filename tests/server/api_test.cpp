// The API in process: every route × role against an independently written matrix, the OpenAPI
// document against the route table, and the request pipeline's 4xx answers (nothing written).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include <SQLiteCpp/SQLiteCpp.h>

#include "in_process.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"

#include "api_test_fixture.h"

namespace townhall::server {
namespace {

// Written from the design (docs/design.md §5), not from the route table.
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
      {"POST /api/v1/consultations/{id}/exception-requests", {"officer", "admin"}},
      {"GET /api/v1/consultations/{id}/exception-requests", {"officer", "governance", "admin"}},
      {"GET /api/v1/exception-requests", {"officer", "admin"}},
      {"POST /api/v1/exception-requests/{request_id}/decision", {"officer", "admin"}},
      {"POST /api/v1/consultations/{id}/responses", {"public", "panel_member", "officer", "admin"}},
      {"GET /api/v1/consultations/{id}/responses", {"officer", "admin"}},
      {"GET /api/v1/responses/{reference}", {"officer", "admin"}},
      {"PUT /api/v1/key-decisions/{id}", {"governance", "admin"}},
      {"GET /api/v1/key-decisions/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/forward-plan", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/forward-plan/compliance", {"officer", "governance", "admin"}},
      {"POST /api/v1/key-decisions/{id}/withdrawal", {"governance", "admin"}},
      {"GET /api/v1/executive-meetings", {"public", "panel_member", "officer", "governance", "admin"}},
      {"PUT /api/v1/executive-meetings/{id}", {"governance", "admin"}},
      {"GET /api/v1/executive-meetings/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /api/v1/executive-meetings/{id}/withdrawal", {"governance", "admin"}},
      {"GET /api/v1/urgency-reports", {"public", "panel_member", "officer", "governance", "admin"}},
      {"PUT /api/v1/urgency-reports/{id}", {"governance", "admin"}},
      {"GET /api/v1/urgency-reports/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /api/v1/urgency-reports/{id}/withdrawal", {"governance", "admin"}},
      {"GET /api/v1/scrutiny-referrals", {"public", "panel_member", "officer", "governance", "admin"}},
      {"PUT /api/v1/scrutiny-referrals/{id}", {"governance", "admin"}},
      {"GET /api/v1/scrutiny-referrals/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /api/v1/scrutiny-referrals/{id}/withdrawal", {"governance", "admin"}},
      {"GET /api/v1/forward-plan.csv", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/forward-plan.atom", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/forward-plan.ics", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/audit", {"governance", "admin"}},
      {"GET /api/v1/audit/verify", {"governance", "admin"}},
      // Citizens' Panel (docs/design.md §2.5–2.6, §5: members see and erase only their own data).
      {"POST /api/v1/panel/join", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /api/v1/panel/import", {"officer", "admin"}},
      {"GET /api/v1/panel/members", {"officer", "admin"}},
      {"GET /api/v1/panel/members/{id}", {"officer", "admin"}},
      {"DELETE /api/v1/panel/members/{id}", {"officer", "admin"}},
      {"GET /api/v1/me/panel", {"panel_member"}},
      {"DELETE /api/v1/me/panel", {"panel_member"}},
      {"PUT /api/v1/me/panel/email", {"panel_member"}},
      {"GET /api/v1/consultations/{id}/my-questions", {"panel_member", "officer", "admin"}},
      {"POST /api/v1/panel/invitations", {"officer", "admin"}},
      {"POST /api/v1/panel/draws", {"officer", "admin"}},
      {"GET /api/v1/panel/report", {"officer", "governance", "admin"}},
      {"POST /api/v1/panel/report", {"officer", "governance", "admin"}},
      {"GET /api/v1/consultations/{id}/repeated-questions", {"officer", "governance", "admin"}},
      {"GET /api/v1/consultations/{id}/translations", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /api/v1/consultations/{id}/translations/{lang}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"PUT /api/v1/consultations/{id}/translations/{lang}", {"officer", "admin"}},
      {"DELETE /api/v1/consultations/{id}/translations/{lang}", {"officer", "admin"}},
      {"GET /api/v1/consultations/{id}/meetings", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /api/v1/consultations/{id}/meetings", {"officer", "admin"}},
      {"GET /api/v1/consultations/{id}/meetings/{meeting_id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"PUT /api/v1/consultations/{id}/meetings/{meeting_id}", {"officer", "admin"}},
      {"DELETE /api/v1/consultations/{id}/meetings/{meeting_id}", {"officer", "admin"}},
      {"GET /api/v1/people/{person_id}", {"officer", "admin"}},
      {"DELETE /api/v1/people/{person_id}", {"officer", "admin"}},
      // The residents' web pages (anyone may read them and respond).
      {"GET /", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /assets/{file}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /assets/{dir}/{file}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/consultations/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/consultations/{id}/results", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/consultations/{id}/questions/{n}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/consultations/{id}/questions/{n}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/consultations/{id}/check", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/consultations/{id}/check", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/consultations/{id}/confirmation/{reference}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/consultations/{id}/save", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/consultations/{id}/save", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/consultations/{id}/saved", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/consultations/{id}/resume/{token}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/consultations/{id}/resume/{token}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/accessibility", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/forward-plan", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/privacy", {"public", "panel_member", "officer", "governance", "admin"}},
      // Citizens' Panel member pages: open to every role (the member is the th_member session, not a bearer token).
      {"GET /{lang}/panel/join", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/panel/join", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/joined", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/sign-in", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/panel/sign-in", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/check-email", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/sign-in/{token}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/panel/sign-in/{token}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/confirm-email/{token}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/panel/confirm-email/{token}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/email-confirmed", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/email-sent", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/me", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/me/facts/{key}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/panel/me/facts/{key}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/me/details/{field}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/panel/me/details/{field}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/panel/sign-out", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/signed-out", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/me/delete", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /{lang}/panel/me/delete", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /{lang}/panel/deleted", {"public", "panel_member", "officer", "governance", "admin"}},
      // The staff console: open to every bearer role here, as the console's own roles come from its
      // session (staff_console_test.cpp checks them route by route).
      {"GET /staff/sign-in", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/sign-in", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/sign-out", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/sessions", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/sessions/{session_id}/end", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/consultations/{id}/transitions", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/consultations/{id}/exception-requests", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/exceptions", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/exceptions/{request_id}/decision", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/consultations/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/edit", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/consultations/{id}/edit", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/preview", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/outcome", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/consultations/{id}/outcome", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/translations/{lang}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/consultations/{id}/translations/{lang}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/responses", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/responses/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/consultations/{id}/responses/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/responses/{reference}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/export.csv", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/export.xlsx", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/consultations/{id}/charts", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/compliance", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/compliance/report", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/forward-plan/import", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/forward-plan/import", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/forward-plan", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/forward-plan/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/forward-plan/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/forward-plan/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/forward-plan/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/forward-plan/{id}/withdraw", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/forward-plan/{id}/withdraw", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/forward-plan/{id}/exceptions", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/accounts", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/accounts/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/accounts/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/accounts/{user_id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/accounts/{user_id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/accounts/{user_id}/password", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/accounts/{user_id}/unlock", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/forward-plan/{id}/exceptions", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/meetings", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/meetings/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/meetings/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/meetings/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/meetings/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/meetings/{id}/withdraw", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/meetings/{id}/withdraw", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/urgency-reports", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/urgency-reports/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/urgency-reports/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/urgency-reports/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/urgency-reports/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/urgency-reports/{id}/withdraw", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/urgency-reports/{id}/withdraw", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/panel", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/panel/recruitment", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/panel/contact-limits", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/panel/outbox", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/panel/draws", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/panel/draws", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/panel/draws/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/panel/draws/{id}/invite", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/referrals", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/referrals/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/referrals/new", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/referrals/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/referrals/{id}", {"public", "panel_member", "officer", "governance", "admin"}},
      {"GET /staff/referrals/{id}/withdraw", {"public", "panel_member", "officer", "governance", "admin"}},
      {"POST /staff/referrals/{id}/withdraw", {"public", "panel_member", "officer", "governance", "admin"}},
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
    if (auto p = target.find("{lang}"); p != std::string::npos) target.replace(p, 6, "cy");
    if (auto p = target.find("{meeting_id}"); p != std::string::npos) target.replace(p, 12, "1");
    if (auto p = target.find("{person_id}"); p != std::string::npos) target.replace(p, 11, "404");
    if (auto p = target.find("{session_id}"); p != std::string::npos) target.replace(p, 12, "404");
    if (auto p = target.find("{user_id}"); p != std::string::npos) target.replace(p, 9, "404");
    if (auto p = target.find("{request_id}"); p != std::string::npos) target.replace(p, 12, "404");
    for (Role role : all_roles()) {
      auto res = call(route.method, target, role, route.body_schema.empty() ? "" : "{}");
      bool allowed = it->second.count(role_id(role)) > 0;
      if (allowed) {
        EXPECT_NE(res.status, 401) << key << " as " << role_id(role) << ": " << res.body;
        // A page form posted without its CSRF token is refused with an HTML 403 page; a role
        // refusal is problem+json.
        bool csrf_refusal = res.status == 403 && res.content_type == "text/html; charset=utf-8" &&
                            route.method == "POST" &&
                            (route.pattern.rfind("/{lang}/", 0) == 0 || route.pattern.rfind("/staff/", 0) == 0);
        if (!csrf_refusal) {
          EXPECT_NE(res.status, 403) << key << " as " << role_id(role) << ": " << res.body;
        }
      } else {
        EXPECT_EQ(res.status, role == Role::kPublic ? 401 : 403) << key << " as " << role_id(role);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(expected_matrix().size()) * 5);
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
      // The body's schema is the route's own schema file, copied into the document.
      const auto& ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"];
      ASSERT_TRUE(ref.is_string()) << key;
      const std::string prefix = "#/components/schemas/";
      ASSERT_EQ(ref.get<std::string>().rfind(prefix, 0), 0u) << key << ": " << ref;
      const auto& component = doc["components"]["schemas"][ref.get<std::string>().substr(prefix.size())];
      auto file = nlohmann::json::parse(embedded_schema(r.body_schema));
      EXPECT_EQ(component.value("title", ""), file.value("title", "")) << key << " " << r.body_schema;
      EXPECT_EQ(component.value("required", nlohmann::json()), file.value("required", nlohmann::json()))
          << key << " " << r.body_schema;
      EXPECT_FALSE(component.contains("$id")) << key;
    }
  }
  for (const auto& d : documented) EXPECT_TRUE(served.count(d)) << d << " is documented but not served";
}

// Every "$ref" of the served document points inside it (a client cannot fetch schemas/*.json from
// the server), and resolves there.
TEST_F(ApiTest, OpenApiDocumentIsSelfContained) {
  auto res = call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(res.status, 200);
  auto doc = nlohmann::json::parse(res.body);
  std::vector<std::pair<std::string, const nlohmann::json*>> stack = {{"", &doc}};
  int refs = 0;
  while (!stack.empty()) {
    auto [where, node] = stack.back();
    stack.pop_back();
    if (node->is_object()) {
      if (auto ref = node->find("$ref"); ref != node->end() && ref->is_string()) {
        const std::string r = *ref;
        ++refs;
        ASSERT_EQ(r.rfind("#/", 0), 0u) << where << ": $ref \"" << r << "\" points outside the document";
        nlohmann::json::json_pointer pointer(r.substr(1));
        EXPECT_TRUE(doc.contains(pointer)) << where << ": $ref \"" << r << "\" does not resolve";
      }
      for (const auto& [k, v] : node->items()) stack.emplace_back(where + "/" + k, &v);
    } else if (node->is_array()) {
      for (size_t i = 0; i < node->size(); ++i) stack.emplace_back(where + "/" + std::to_string(i), &(*node)[i]);
    }
  }
  EXPECT_GT(refs, 100);
  // The schema files' references to each other come along: consultation-draft's fields are
  // consultation.schema.json's, key-decision's body is forward-plan.schema.json's definition.
  const auto& schemas = doc["components"]["schemas"];
  for (const char* name : {"ConsultationDraft", "Consultation", "KeyDecision", "ForwardPlan", "ResponseSubmission", "Problem"}) {
    EXPECT_TRUE(schemas.contains(name)) << name;
  }
  EXPECT_EQ(schemas["ConsultationDraft"]["properties"]["opens"]["$ref"], "#/components/schemas/Consultation/properties/opens");
  EXPECT_EQ(schemas["Consultation"]["properties"]["opens"]["$ref"], "#/components/schemas/Consultation/definitions/date");
  EXPECT_EQ(schemas["KeyDecision"]["allOf"][0]["$ref"], "#/components/schemas/ForwardPlan/definitions/key_decision");
  // A property that happens to be called "$schema" is kept; only the files' own $schema goes.
  EXPECT_FALSE(schemas["ForwardPlan"].contains("$schema"));
  EXPECT_TRUE(schemas["ForwardPlan"]["properties"].contains("$schema"));
}

TEST_F(ApiTest, RoutesMatchDecodedPathSegmentsOfTheirOwnLength) {
  auto created = call("POST", "/api/v1/consultations", Role::kOfficer, R"({"title":"Parks"})");
  ASSERT_EQ(created.status, 201);
  const std::string id = nlohmann::json::parse(created.body)["id"];
  std::string escaped_id = id;
  escaped_id.replace(escaped_id.find('-'), 1, "%2D");  // "c%2D1" is "c-1"
  // A percent-escape in a literal segment or a parameter matches as its decoded text, even in
  // several segments of one path; empty segments are skipped.
  for (const std::string& target : {"/api/v1/consult%61tions/" + escaped_id, "/api/v%31/consultations/" + escaped_id,
                                   "//api/v1//consultations/" + id + "/"}) {
    auto r = call("GET", target, Role::kOfficer);
    EXPECT_EQ(r.status, 200) << target;
    if (r.status == 200) {
      EXPECT_EQ(nlohmann::json::parse(r.body)["id"], id) << target;
    }
  }
  // Longer than every route, one segment short of one, and a literal that differs: 404.
  EXPECT_EQ(call("GET", "/api/v1/consultations/" + id + "/a/b/c/d/e/f/g/h/i", Role::kOfficer).status, 404);
  EXPECT_EQ(call("GET", "/api/v1", Role::kOfficer).status, 404);
  EXPECT_EQ(call("GET", "/api/v2/consultations/" + id, Role::kOfficer).status, 404);
  // The same path under another method: 405 naming the methods of every route of that path.
  auto r = call("PATCH", "/api/v1/consult%61tions", Role::kOfficer);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header_values(r, "Allow"), std::vector<std::string>{"GET, POST"});
}

TEST_F(ApiTest, JsonContentTypeIsRecognisedInAnyCaseWithAUtf8Charset) {
  // RFC 9110: media type and parameter names are case-insensitive, the charset value too.
  for (const char* type : {"application/json", "Application/JSON", " application/json ", "application/json;charset=utf-8",
                           "application/json; Charset=\"UTF-8\"", "application/json ; charset=utf-8 ; x=y",
                           "application/json; boundary=x"}) {
    EXPECT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, R"({"title":"Parks"})", type).status, 201) << type;
  }
  for (const char* type : {"application/jsonx", "application/json-seq", "text/json", "application/json; charset=utf-16",
                           "application/json; charset=\"latin1\"", ""}) {
    EXPECT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, R"({"title":"Parks"})", type).status, 415) << type;
  }
}

TEST_F(ApiTest, PipelineRejectsBadRequestsWithProblemJsonAndWritesNothing) {
  const std::string ok_body = R"({"title":"Parks"})";
  auto r = call("GET", "/api/v1/nowhere");
  EXPECT_EQ(r.status, 404);
  problem_of(r);

  r = call("PATCH", "/api/v1/consultations", Role::kOfficer);
  EXPECT_EQ(r.status, 405);
  problem_of(r);
  EXPECT_EQ(header_values(r, "Allow"), std::vector<std::string>{"GET, POST"});

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
                 R"({"to":"scheduled",)" + approved_exception_member("c-2", ConsultationStatus::kScheduled, "Budget deadline") + "}")
                .status,
            200);
  // A draft is never opened by the schedule.
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, doc.dump()).status, 201);

  EXPECT_TRUE(api->run_schedule(*Date::parse("2027-02-28")).empty());
  auto opened = api->run_schedule(*Date::parse("2027-03-01"));
  EXPECT_EQ(opened, (std::vector<std::string>{"c-1 open", "c-2 open"}));
  EXPECT_EQ(store->get_consultation("c-3")->status, ConsultationStatus::kDraft);
  EXPECT_TRUE(api->run_schedule(*Date::parse("2027-04-04")).empty());  // c-2 is open through its last day
  EXPECT_EQ(api->run_schedule(*Date::parse("2027-04-05")), (std::vector<std::string>{"c-2 closed"}));
  EXPECT_EQ(api->run_schedule(*Date::parse("2027-04-12")), (std::vector<std::string>{"c-1 closed"}));
  EXPECT_EQ(store->get_consultation("c-1")->status, ConsultationStatus::kClosed);
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

namespace townhall::server {
namespace {

TEST_F(ApiTest, OfficerSeesAndErasesAPersonsDataWhileResponsesStay) {
  auto person = store->add_person({{"name", "Ann Example"}, {"postcode", "TW3 1AA"}});
  ASSERT_TRUE(person.ok());
  ASSERT_TRUE(store->set_equality_data(*person, {{"ethnicity", "Welsh"}}).ok());
  nlohmann::json doc = {{"title", "Parks"}, {"questions", {{{"id", "q"}, {"type", "yes_no"}, {"text", "OK?"}}}}};
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, doc.dump()).status, 201);
  TransitionRecord open;
  open.consultation_id = "c-1";
  open.from = ConsultationStatus::kDraft;
  open.to = ConsultationStatus::kOpen;
  ASSERT_TRUE(store->transition_consultation(open).ok());
  // Entered from a paper form by an officer, who names the person (nobody else may).
  nlohmann::json response = {{"answers", {{"q", true}}}, {"person_id", *person}, {"channel", "paper"}};
  ASSERT_EQ(call("POST", "/api/v1/consultations/c-1/responses", Role::kOfficer, response.dump()).status, 201);

  std::string path = "/api/v1/people/" + std::to_string(*person);
  auto held = call("GET", path, Role::kOfficer);
  ASSERT_EQ(held.status, 200) << held.body;
  auto h = nlohmann::json::parse(held.body);
  EXPECT_EQ(h["personal_data"]["postcode"], "TW3 1AA");
  EXPECT_EQ(h["equality_data"]["ethnicity"], "Welsh");
  EXPECT_EQ(h["responses"], 1);

  EXPECT_EQ(call("DELETE", path, Role::kOfficer).status, 204);
  EXPECT_EQ(call("GET", path, Role::kOfficer).status, 404);
  EXPECT_EQ(call("DELETE", path, Role::kOfficer).status, 404);
  auto responses = nlohmann::json::parse(call("GET", "/api/v1/consultations/c-1/responses", Role::kOfficer).body);
  ASSERT_EQ(responses["total"], 1);
  EXPECT_FALSE(responses["items"][0].contains("person_id"));
  EXPECT_EQ(responses["items"][0]["answers"]["q"], true);
  EXPECT_EQ(call("GET", "/api/v1/people/x1", Role::kOfficer).status, 404);
}

// The plain-body path (flat answers read without a JSON tree) and the general path store the
// same response; whatever the plain path does not handle — a repeated key, an invalid answer, a
// channel not offered — goes the general way, with its errors. The counter shows which path ran,
// so this test fails if the plain path is never taken.
TEST_F(ApiTest, PlainAndGeneralBodiesStoreTheSameResponse) {
  nlohmann::json doc = {{"title", "Library hours"},
                        {"channels", {"online", "paper"}},
                        {"questions",
                         {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Agree?"}, {"required", true}},
                          {{"id", "days"}, {"type", "multiple_choice"}, {"text", "Days?"}, {"options", {"mon", "sat"}}},
                          {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}}}}};
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, doc.dump()).status, 201);
  TransitionRecord open{"c-1", ConsultationStatus::kDraft, ConsultationStatus::kOpen, 0, {}, {}};
  ASSERT_TRUE(store->transition_consultation(open).ok());
  const std::string path = "/api/v1/consultations/c-1/responses";
  auto plain_count = [&] { return api->commit_stats().plain_bodies; };

  auto plain = call("POST", path, Role::kPublic, R"({"answers":{"why":"Sat\u00e9 \"late\"","agree":true,"days":["sat","mon"]}})");
  ASSERT_EQ(plain.status, 201) << plain.body;
  EXPECT_EQ(plain_count(), 1u);
  // nlohmann keeps the last of a repeated key; the plain path leaves such a body to it.
  auto general = call("POST", path, Role::kPublic,
                      R"({"answers":{"agree":false,"why":"Sat\u00e9 \"late\"","agree":true,"days":["sat","mon"]}})");
  ASSERT_EQ(general.status, 201) << general.body;
  EXPECT_EQ(plain_count(), 1u);
  auto paper = call("POST", path, Role::kOfficer, R"({"answers":{"agree":false},"channel":"paper","language":"cy"})");
  ASSERT_EQ(paper.status, 201) << paper.body;
  EXPECT_EQ(plain_count(), 2u);

  auto listed = store->list_responses("c-1", 10, 0);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].answers, (*listed)[1].answers);
  EXPECT_EQ((*listed)[0].answers, nlohmann::json::parse(R"({"agree":true,"days":["sat","mon"],"why":"Sat\u00e9 \"late\""})"));
  EXPECT_EQ((*listed)[0].channel, "online");
  EXPECT_EQ((*listed)[0].language, "en-GB");
  EXPECT_FALSE((*listed)[0].submitted_by.has_value());
  EXPECT_EQ((*listed)[2].channel, "paper");
  EXPECT_EQ((*listed)[2].language, "cy");
  EXPECT_TRUE((*listed)[2].entered_by.has_value());  // the officer who entered it
  {
    SQLite::Database raw(dir + "/t.db");
    SQLite::Statement q(raw, "SELECT answers FROM responses ORDER BY id");
    std::vector<std::string> texts;
    while (q.executeStep()) texts.push_back(q.getColumn(0).getString());
    ASSERT_EQ(texts.size(), 3u);
    EXPECT_EQ(texts[0], texts[1]);  // byte for byte
  }

  // Refusals come from the general path, with its pointers; nothing is stored.
  auto bad = call("POST", path, Role::kPublic, R"({"answers":{"agree":"yes"}})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(problem_of(bad)["pointer"], "/answers/agree");
  auto not_offered = call("POST", path, Role::kOfficer, R"({"answers":{"agree":true},"channel":"phone"})");
  EXPECT_EQ(not_offered.status, 422);
  EXPECT_EQ(problem_of(not_offered)["pointer"], "/channel");
  auto not_officer = call("POST", path, Role::kPublic, R"({"answers":{"agree":true},"channel":"paper"})");
  EXPECT_EQ(not_officer.status, 403);
  EXPECT_EQ(call("POST", "/api/v1/consultations/c-9/responses", Role::kPublic, R"({"answers":{"agree":true}})").status,
            404);
  EXPECT_EQ(plain_count(), 2u);
  EXPECT_EQ(*store->count_responses("c-1"), 3);

  // A retry of a plain body with its Idempotency-Key is answered with the original response.
  HttpRequest retry;
  retry.method = "POST";
  retry.target = path;
  retry.content_type = "application/json";
  retry.idempotency_key = "k-1";
  retry.body = R"({"answers":{"agree":true}})";
  auto first = testing::handle_and_wait(*api, retry);
  auto second = testing::handle_and_wait(*api, retry);
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  EXPECT_EQ(nlohmann::json::parse(first.body)["reference"], nlohmann::json::parse(second.body)["reference"]);
  EXPECT_EQ(header_values(second, "Idempotent-Replayed"), std::vector<std::string>{"true"});
  EXPECT_EQ(plain_count(), 4u);
  EXPECT_EQ(*store->count_responses("c-1"), 4);
}

}  // namespace
}  // namespace townhall::server
