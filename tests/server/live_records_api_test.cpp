// The server's live records checked against each other, as `townhall check` checks a file: a
// consultation that informs a key decision must close before the decision (charter G1), judged on
// the close the holiday extension requires (charter C-EXT), and the decision day is the one the
// Forward Plan notified (SI 2012/2089 reg 9(1)(d)). The API's compliance report and the
// consultation's own findings both say so.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api_test_fixture.h"

namespace townhall::server {
namespace {

using LiveRecordsApiTest = ApiTest;

std::vector<nlohmann::json> g1_breaches(const nlohmann::json& findings) {
  std::vector<nlohmann::json> out;
  for (const auto& f : findings) {
    if (f["rule"] == "G1" && f["severity"] == "breach") out.push_back(f);
  }
  return out;
}

TEST_F(LiveRecordsApiTest, G1AConsultationThatMustStayOpenPastItsKeyDecisionIsReported) {
  // Six weeks from Mon 1 Dec 2025 recorded to close Sun 11 Jan 2026; C-EXT (design §2.3's example)
  // keeps it open until Sun 25 Jan 2026, after the decision on Thu 15 Jan 2026.
  const nlohmann::json consultation = {
      {"title", "Library opening hours"}, {"summary", "Shorter Sunday hours."}, {"big_decision", true},
      {"opens", "2025-12-01"}, {"closes", "2026-01-11"}, {"key_decision_id", "kd-1"},
      {"proposal", "Shorter Sunday hours."}, {"reasons", "Budget."},
      {"options_considered", {{{"option", "No change"}, {"rejected", true}, {"reason", "Unaffordable"}}}},
      {"channels", {"online", "paper"}}};
  auto made = call("POST", "/api/v1/consultations", Role::kOfficer, consultation.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = nlohmann::json::parse(made.body)["id"];
  const nlohmann::json kd = {{"id", "kd-1"}, {"matter", "Library opening hours"},
                             {"decision_maker", {{"name", "Cllr Asha Patel"}}}, {"decision_date", "2026-01-15"},
                             {"treated_as_key", true}};
  ASSERT_EQ(call("PUT", "/api/v1/key-decisions/kd-1", Role::kGovernance, kd.dump()).status, 200);

  auto report = call("GET", "/api/v1/forward-plan/compliance", Role::kGovernance);
  ASSERT_EQ(report.status, 200) << report.body;
  auto in_report = g1_breaches(nlohmann::json::parse(report.body)["findings"]);
  ASSERT_EQ(in_report.size(), 1u) << report.body;
  EXPECT_EQ(in_report[0]["subject"]["id"], id) << in_report[0].dump();
  EXPECT_EQ(in_report[0]["dates"]["required_close"], "2026-01-25");
  EXPECT_EQ(in_report[0]["dates"]["decision_date"], "2026-01-15");

  auto own = call("GET", "/api/v1/consultations/" + id + "/findings", Role::kOfficer);
  ASSERT_EQ(own.status, 200) << own.body;
  auto in_own = g1_breaches(nlohmann::json::parse(own.body)["findings"]);
  ASSERT_EQ(in_own.size(), 1u) << own.body;
  EXPECT_EQ(in_own[0]["message"], in_report[0]["message"]);

  // The decision moved to Mon 26 Jan 2026, the day after the extended close: nothing to report.
  nlohmann::json later = kd;
  later["decision_date"] = "2026-01-26";
  ASSERT_EQ(call("PUT", "/api/v1/key-decisions/kd-1", Role::kGovernance, later.dump()).status, 200);
  auto again = call("GET", "/api/v1/forward-plan/compliance", Role::kGovernance);
  EXPECT_TRUE(g1_breaches(nlohmann::json::parse(again.body)["findings"]).empty()) << again.body;
}

}  // namespace
}  // namespace townhall::server
