// The CLI as governance staff use it: JSON shapes, exit codes, messages naming the bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace townhall::testing {
namespace {

TEST(CalendarCli, HolidaysJsonShape) {
  auto r = run_cli("calendar holidays --region england-and-wales --from 2011 --to 2028 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  // 8 rule days a year for 18 years, plus 2011's royal wedding, 2012's jubilee, 2022's jubilee and
  // state funeral, 2023's coronation.
  EXPECT_EQ(j.size(), 18u * 8u + 5u);
  const auto& first = j[0];
  EXPECT_EQ(first["date"], "2011-01-03");
  EXPECT_EQ(first["name"], "New Year's Day (substitute day)");
  EXPECT_EQ(first["substitute"], true);
  EXPECT_EQ(first["provisional"], false);
  EXPECT_EQ(j.back()["date"], "2028-12-26");
  EXPECT_EQ(j.back()["provisional"], true);  // beyond the proclamation table
}

TEST(CalendarCli, ClearDays) {
  auto r = run_cli("calendar clear-days 1990-04-26 1990-05-01 --mode working --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["clear_days"], 2);
  auto c = run_cli("calendar clear-days 1990-04-26 1990-05-01 --json");
  EXPECT_EQ(nlohmann::json::parse(c.out)["clear_days"], 4);
}

TEST(CalendarCli, BadInputExitsTwoNamingTheProblem) {
  auto r = run_cli("calendar holidays --region wales");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--region"), std::string::npos);
  auto d = run_cli("calendar clear-days 2025-02-30 2025-03-01");
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_NE(d.err.find("FROM"), std::string::npos);
  auto m = run_cli("calendar clear-days 2025-02-01 2025-03-01 --mode weekdays");
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(m.err.find("--mode"), std::string::npos);
  auto y = run_cli("calendar holidays --from 2101");
  EXPECT_EQ(y.exit_code, 2);
  auto o = run_cli("calendar holidays --colour red");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--colour"), std::string::npos);
}

TEST(NoticeCli, LatestPublicationDesignExample) {
  auto r = run_cli("notice latest-publication --event 2025-07-17 --days 28 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["latest_publication"], "2025-06-18");
  EXPECT_EQ(j["practical_latest"], "2025-06-18");
}

TEST(NoticeCli, PracticalLatestOnAWeekend) {
  auto r = run_cli("notice latest-publication --event 2025-07-14 --json");
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["latest_publication"], "2025-06-15");  // Sunday
  EXPECT_EQ(j["practical_latest"], "2025-06-13");    // Friday
}

TEST(NoticeCli, EarliestEventWorkingDays) {
  auto r = run_cli("notice earliest-event --published 2025-05-21 --days 5 --mode working --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["earliest_event"], "2025-05-30");
  auto missing = run_cli("notice earliest-event --days 5");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--published"), std::string::npos);
}

TEST(ConsultationCli, CloseDateOverChristmas) {
  auto r = run_cli("consultation close-date --opens 2025-12-01 --weeks 6 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["base_close"], "2026-01-11");
  EXPECT_EQ(j["close"], "2026-01-25");
  EXPECT_EQ(j["holiday_days"], 9);
}

TEST(ConsultationCli, PolicyCanSwitchOffTheExtension) {
  const std::string policy = write_temp(R"({"consultation": {"holiday_extension": false}})", ".json");
  auto r = run_cli("consultation close-date --opens 2025-12-01 --json --policy " + policy);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["close"], "2026-01-11");
  const std::string bad = write_temp(R"({"consultation": {"holiday_extension": "no"}})", ".json");
  auto b = run_cli("consultation close-date --opens 2025-12-01 --policy " + bad);
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("/consultation/holiday_extension"), std::string::npos);
}

}  // namespace
}  // namespace townhall::testing

namespace townhall::testing {
namespace {

TEST(PolicyCli, ShowsDefaultsAndValidatesFiles) {
  auto r = run_cli("policy show");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["key_decisions"]["threshold_pence"], 10000000);
  EXPECT_EQ(j["key_decisions"]["notice"]["days"], 28);
  EXPECT_EQ(j["consultation"]["big_decision_weeks"], 6);
  const std::string bad = write_temp(R"({"key_decisions": {"threshold": 25000000}})", ".json");
  auto b = run_cli("policy show --policy " + bad);
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("/key_decisions/threshold"), std::string::npos);
}

}  // namespace
}  // namespace townhall::testing
