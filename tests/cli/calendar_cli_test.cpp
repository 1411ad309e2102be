// The CLI as governance staff use it: JSON shapes, exit codes, messages naming the bad input.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace townhall::testing {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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

// Bank holidays are known only from 1978 to 2100: a count outside those years is refused, not
// answered as if there were no holidays.
TEST(CalendarCli, DatesOutsideTheSupportedYearsAreRefusedByEveryCountingCommand) {
  auto before = run_cli("calendar clear-days 1950-01-01 1950-02-01");
  EXPECT_EQ(before.exit_code, 2);
  EXPECT_NE(before.err.find("FROM"), std::string::npos) << before.err;
  EXPECT_NE(before.err.find("outside the supported range 1978-01-01 to 2100-12-31"), std::string::npos) << before.err;
  EXPECT_TRUE(before.out.empty()) << before.out;
  auto after = run_cli("calendar clear-days 2100-12-01 2101-01-05 --mode working");
  EXPECT_EQ(after.exit_code, 2);
  EXPECT_NE(after.err.find("TO"), std::string::npos) << after.err;
  auto latest = run_cli("notice latest-publication --event 1960-07-17");
  EXPECT_EQ(latest.exit_code, 2);
  EXPECT_NE(latest.err.find("--event"), std::string::npos) << latest.err;
  // 5 clear working days before Tue 3 January 1978 would reach into 1977.
  auto reach = run_cli("notice latest-publication --event 1978-01-03 --days 5 --mode working");
  EXPECT_EQ(reach.exit_code, 2);
  EXPECT_NE(reach.err.find("1977"), std::string::npos) << reach.err;
  auto earliest = run_cli("notice earliest-event --published 2101-01-01");
  EXPECT_EQ(earliest.exit_code, 2);
  EXPECT_NE(earliest.err.find("--published"), std::string::npos) << earliest.err;
  auto close = run_cli("consultation close-date --opens 1977-12-01");
  EXPECT_EQ(close.exit_code, 2);
  EXPECT_NE(close.err.find("--opens"), std::string::npos) << close.err;
  auto as_of = run_cli("check - --as-of 2150-01-01", "{\"key_decisions\": []}");
  EXPECT_EQ(as_of.exit_code, 2);
  EXPECT_NE(as_of.err.find("--as-of"), std::string::npos) << as_of.err;
}

// Scotland's one-off bank holiday of Monday 15 June 2026 (proclaimed February 2026).
TEST(CalendarCli, ScotlandsWorldCupBankHolidayCounts) {
  auto r = run_cli("calendar clear-days 2026-06-12 2026-06-17 --mode working --region scotland --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["clear_days"], 1);
  auto ew = run_cli("calendar clear-days 2026-06-12 2026-06-17 --mode working --json");
  EXPECT_EQ(nlohmann::json::parse(ew.out)["clear_days"], 2);
}

TEST(CalendarCli, ImportTheGovUkFeedAndEveryCommandGivenTheDatabaseUsesIt) {
  const std::string db = make_temp_dir("townhall-calendar-") + "/council.db";
  const std::string feed = std::string(TOWNHALL_SOURCE_DIR) + "/tests/data/bank-holidays/govuk-2026-2027.json";
  // A feed with a day proclaimed after this release: Mon 7 June 2027 in England and Wales.
  auto doc = nlohmann::json::parse(read_text(feed));
  doc["england-and-wales"]["events"].push_back(
      {{"title", "A proclaimed day"}, {"date", "2027-06-07"}, {"notes", ""}, {"bunting", true}});
  const std::string extended = write_temp(doc.dump(), ".json");

  // A bad feed changes nothing: every problem is named.
  auto bad_doc = doc;
  bad_doc["scotland"]["events"][0]["date"] = "2026-13-01";
  bad_doc.erase("northern-ireland");
  const std::string bad = write_temp(bad_doc.dump(), ".json");
  auto refused = run_cli("calendar import " + bad + " --db " + db + " --create");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("/scotland/events/0/date"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("/northern-ireland"), std::string::npos) << refused.err;

  auto imported = run_cli("calendar import " + extended + " --db " + db + " --create --json");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto detail = nlohmann::json::parse(imported.out);
  EXPECT_EQ(detail["divisions"]["england-and-wales"]["days"], 17);
  EXPECT_EQ(detail["divisions"]["scotland"]["to_year"], 2027);

  // Wed 2 June to Thu 10 June 2027: five clear working days by the table, four with the feed.
  auto builtin = run_cli("calendar clear-days 2027-06-02 2027-06-10 --mode working --json");
  EXPECT_EQ(nlohmann::json::parse(builtin.out)["clear_days"], 5);
  auto with_feed = run_cli("calendar clear-days 2027-06-02 2027-06-10 --mode working --db " + db + " --json");
  ASSERT_EQ(with_feed.exit_code, 0) << with_feed.err;
  auto j = nlohmann::json::parse(with_feed.out);
  EXPECT_EQ(j["clear_days"], 4);
  EXPECT_EQ(j["bank_holidays"].get<std::string>().rfind("GOV.UK feed imported ", 0), 0u) << j.dump();
  auto hol = run_cli("calendar holidays --from 2027 --db " + db + " --json");
  auto days = nlohmann::json::parse(hol.out);
  EXPECT_EQ(days.size(), 9u);
  for (const auto& h : days) EXPECT_EQ(h["provisional"], false);
  auto notice = run_cli("notice latest-publication --event 2027-06-10 --days 5 --mode working --db " + db + " --json");
  EXPECT_EQ(nlohmann::json::parse(notice.out)["latest_publication"], "2027-06-01");
  // check: a meeting whose notice gave five clear working days by the table breaches MEET-5 with
  // the feed, and the finding says where the holidays came from.
  const std::string plan = R"({"meetings": [{"id": "m-1", "body": "Cabinet", "date": "2027-06-10",
      "notice_published_on": "2027-06-02", "agenda_published_on": "2027-06-02"}]})";
  auto ok = run_cli("check - --as-of 2027-06-01", plan);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  auto breach = run_cli("check - --as-of 2027-06-01 --db " + db, plan);
  EXPECT_EQ(breach.exit_code, 1) << breach.out << breach.err;
  EXPECT_NE(breach.out.find("(bank holidays: GOV.UK feed imported "), std::string::npos) << breach.out;
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
