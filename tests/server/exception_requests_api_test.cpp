// The exception-request routes in process: each refusal names the body field and stores nothing,
// and the problem types follow the API's wire conventions (422 for a bad field, 404 for an unknown
// consultation or request, 409 for a decision that is not the caller's to take). Expected values
// follow the rule in core consultations/exception_approval.h.
#include <gtest/gtest.h>

#include "api_test_fixture.h"

namespace townhall::server {
namespace {

using ExceptionRequestsApiTest = ApiTest;

// Six weeks, nothing blocks scheduling; opening before 1 March 2027 needs an exception.
const char* kDraft = R"({"title":"Bus shelters","opens":"2027-03-01","closes":"2027-04-11","proposal":"p",
  "reasons":"r","options_considered":[{"option":"a"},{"option":"b","rejected":true}]})";

TEST_F(ExceptionRequestsApiTest, BadAsksNameTheFieldAndStoreNothing) {
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, kDraft).status, 201);
  approver = townhall::testing::add_staff_officer(*store, "approver");
  const std::string path = "/api/v1/consultations/c-1/exception-requests";
  const std::string me = std::to_string(users[Role::kOfficer].id);
  const std::string governance = std::to_string(users[Role::kGovernance].id);
  const std::string ok = std::to_string(approver.id);
  struct Case {
    std::string body;
    int status;
    std::string pointer;
  };
  for (const auto& c : std::vector<Case>{
           {R"({"to":"scheduled","reason":"Budget","approver":)" + me + "}", 422, "/approver"},
           // A token user is no console account: they cannot approve in the console.
           {R"({"to":"scheduled","reason":"Budget","approver":)" + governance + "}", 422, "/approver"},
           {R"({"to":"scheduled","reason":"   ","approver":)" + ok + "}", 422, "/reason"},
           {R"({"to":"scheduled","reason":"","approver":)" + ok + "}", 422, "/reason"},
           {R"({"to":"open","reason":"Budget","approver":)" + ok + "}", 409, "/to"},
           {R"({"to":"scheduled","reason":"Budget","approver":)" + ok + R"(,"version":99})", 409, "/version"},
           // A missing member is named in the message; the pointer is the object that lacks it.
           {R"({"to":"scheduled","reason":"Budget"})", 422, "/"},
       }) {
    auto r = call("POST", path, Role::kOfficer, c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " → " << r.body;
    auto p = problem_of(r);
    EXPECT_EQ(p["pointer"], c.pointer) << c.body;
    if (c.pointer == "/") {
      EXPECT_NE(p["detail"].get<std::string>().find("approver"), std::string::npos) << r.body;
    }
  }
  EXPECT_EQ(call("POST", "/api/v1/consultations/c-404/exception-requests", Role::kOfficer,
                 R"({"to":"scheduled","reason":"Budget","approver":)" + ok + "}")
                .status,
            404);
  EXPECT_TRUE(store->exception_requests_about("c-1")->empty());
}

TEST_F(ExceptionRequestsApiTest, OnlyTheNamedOfficerDecidesAndOnlyOnce) {
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, kDraft).status, 201);
  approver = townhall::testing::add_staff_officer(*store, "approver");
  auto asked = call("POST", "/api/v1/consultations/c-1/exception-requests", Role::kOfficer,
                    R"({"to":"scheduled","reason":"Budget","approver":)" + std::to_string(approver.id) + "}");
  ASSERT_EQ(asked.status, 201) << asked.body;
  auto j = nlohmann::json::parse(asked.body);
  EXPECT_EQ(j["state"], "pending");
  EXPECT_EQ(j["requested_by"]["id"], users[Role::kOfficer].id);
  EXPECT_EQ(j["approver"]["name"], "approver");
  // Asked at the Api's clock; usable for 14 × 24 hours.
  EXPECT_EQ(j["expires_at"].get<std::string>() > j["requested_at"].get<std::string>(), true);
  const std::string decide = "/api/v1/exception-requests/" + std::to_string(j["id"].get<int64_t>()) + "/decision";
  // The admin is not the officer named.
  EXPECT_EQ(call("POST", decide, Role::kAdmin, R"({"decision":"approve"})").status, 409);
  EXPECT_EQ(call("POST", "/api/v1/exception-requests/999/decision", Role::kAdmin, R"({"decision":"approve"})").status, 404);
  EXPECT_EQ(call("POST", decide, Role::kOfficer, R"({"decision":"maybe"})").status, 422);
  // Governance staff read the requests about a consultation; they cannot decide.
  auto listed = call("GET", "/api/v1/consultations/c-1/exception-requests", Role::kGovernance);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(nlohmann::json::parse(listed.body)["items"].size(), 1u);
  EXPECT_EQ(call("POST", decide, Role::kGovernance, R"({"decision":"approve"})").status, 403);
  EXPECT_EQ(store->get_exception_request(j["id"].get<int64_t>())->state, ApprovalState::kPending);
}

}  // namespace
}  // namespace townhall::server
