#include "townhall/charter/policy.h"

#include <gtest/gtest.h>

namespace townhall {
namespace {

TEST(CharterPolicy, DefaultsAreTheCharters) {
  const CharterPolicy p = CharterPolicy::defaults();
  EXPECT_EQ(p.big_decision_weeks, 6);
  EXPECT_EQ(p.key_decision_notice.days, 28);
  EXPECT_EQ(p.key_decision_notice.mode, DayCountMode::kCalendar);
  EXPECT_EQ(p.key_decision_threshold_pence, 10'000'000);  // £100,000
  EXPECT_EQ(p.key_decision_ward_count, 2);
  EXPECT_EQ(p.voluntary_sector_weeks, 12);
  EXPECT_EQ(p.general_exception_notice.days, 5);
  EXPECT_EQ(p.general_exception_notice.mode, DayCountMode::kWorking);
  EXPECT_EQ(p.holiday_windows.size(), 2u);
  EXPECT_EQ(p.severity_of("C-MIN"), Severity::kBreach);
  EXPECT_EQ(p.severity_of("VAR"), Severity::kWarning);
}

TEST(CharterPolicy, ReadsSettingsOverDefaults) {
  auto p = CharterPolicy::from_json_text(R"({
    "region": "scotland",
    "key_decisions": {"threshold_pence": 50000000, "notice": {"days": 28, "mode": "working"}},
    "consultation": {"pre_election_periods": [{"name": "2026 elections", "from": "2026-03-23", "to": "2026-05-07"}]},
    "severities": {"VAR": "breach"}
  })");
  ASSERT_TRUE(p.ok()) << p.error().describe();
  EXPECT_EQ(p->region, Region::kScotland);
  EXPECT_EQ(p->key_decision_threshold_pence, 50'000'000);
  EXPECT_EQ(p->key_decision_notice.mode, DayCountMode::kWorking);
  EXPECT_EQ(p->big_decision_weeks, 6);
  ASSERT_EQ(p->pre_election_periods.size(), 1u);
  EXPECT_EQ(p->severity_of("VAR"), Severity::kBreach);
  // Round trip through to_json keeps every setting.
  auto again = CharterPolicy::from_json(p->to_json());
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->to_json(), p->to_json());
}

TEST(CharterPolicy, UnknownKeysAndWrongTypesNameTheField) {
  auto unknown = CharterPolicy::from_json_text(R"({"consultation": {"big_decision_wekes": 6}})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "/consultation/big_decision_wekes");
  auto wrong = CharterPolicy::from_json_text(R"({"key_decisions": {"threshold_pence": "100000"}})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "/key_decisions/threshold_pence");
  auto region = CharterPolicy::from_json_text(R"({"region": "wales"})");
  ASSERT_FALSE(region.ok());
  EXPECT_EQ(region.error().field, "/region");
  auto rule = CharterPolicy::from_json_text(R"({"severities": {"KD-99": "info"}})");
  ASSERT_FALSE(rule.ok());
  auto date = CharterPolicy::from_json_text(R"({"consultation": {"pre_election_periods": [{"from": "2026-02-30", "to": "2026-05-07"}]}})");
  ASSERT_FALSE(date.ok());
  EXPECT_EQ(date.error().field, "/consultation/pre_election_periods/0/from");
  auto syntax = CharterPolicy::from_json_text(R"({"region": )");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().code, ErrorCode::kInvalidJson);
}

}  // namespace
}  // namespace townhall

namespace townhall {
namespace {

TEST(CharterPolicy, UnknownRuleAndImpossibleWindowDayNameTheField) {
  auto rule = CharterPolicy::from_json_text(R"({"severities": {"KD-9": "info"}})");
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(rule.error().field, "/severities/KD-9");
  auto window = CharterPolicy::from_json_text(R"({"consultation": {"holiday_windows": [{"from": "02-30", "to": "03-01"}]}})");
  ASSERT_FALSE(window.ok());
  EXPECT_EQ(window.error().field, "/consultation/holiday_windows/0/from");
  auto ok = CharterPolicy::from_json_text(R"({"consultation": {"holiday_windows": [{"from": "07-20", "to": "09-05"}]}})");
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  EXPECT_EQ(ok->holiday_windows.size(), 1u);
}

}  // namespace
}  // namespace townhall
