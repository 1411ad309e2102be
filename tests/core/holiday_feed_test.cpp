// The supported years, the GOV.UK feed import and the calendar it makes. Expected dates come from
// the Banking and Financial Dealings Act 1971, the St Andrew's Day Bank Holiday (Scotland) Act 2007,
// the proclamations (Scotland's one-off Monday 15 June 2026, proclaimed February 2026) and the
// independent `holidays` package (0.109), not from the code under test.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store_test_util.h"
#include "townhall/calendar/bank_holidays.h"
#include "townhall/calendar/clear_days.h"
#include "townhall/calendar/holiday_feed.h"
#include "townhall/calendar/store.h"
#include "townhall/charter/policy.h"
#include "townhall/consultations/consultation_rules.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/forward_plan_rules.h"

namespace townhall {
namespace {

Date day(const char* iso) { return *Date::parse(iso); }

std::string test_feed_text() {
  std::ifstream in(std::string(TOWNHALL_SOURCE_DIR) + "/tests/data/bank-holidays/govuk-2026-2027.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

HolidayFeed test_feed() {
  auto feed = parse_holiday_feed(test_feed_text());
  EXPECT_TRUE(feed.ok()) << (feed ? "" : feed.error().describe());
  feed->imported_on = day("2026-12-07");
  feed->source = "bank-holidays.json";
  return *feed;
}

// ---- the built-in table -------------------------------------------------------------------------

TEST(BankHolidayTable, ScotlandsWorldCupBankHolidayOf2026) {
  // Proclaimed in February 2026 for Scotland only: Monday 15 June 2026.
  const auto* h = HolidayCalendar::for_region(Region::kScotland).holiday_on(day("2026-06-15"));
  ASSERT_NE(h, nullptr);
  EXPECT_FALSE(h->provisional);
  EXPECT_FALSE(HolidayCalendar::for_region(Region::kEnglandAndWales).is_bank_holiday(day("2026-06-15")));
  EXPECT_FALSE(HolidayCalendar::for_region(Region::kNorthernIreland).is_bank_holiday(day("2026-06-15")));
  // Fri 12 June to Wed 17 June 2026 in Scotland: Sat, Sun, the holiday, then Tue 16 alone counts.
  EXPECT_EQ(*clear_days(day("2026-06-12"), day("2026-06-17"), DayCountMode::kWorking,
                        HolidayCalendar::for_region(Region::kScotland)),
            1);
  EXPECT_EQ(*clear_days(day("2026-06-12"), day("2026-06-17"), DayCountMode::kWorking,
                        HolidayCalendar::for_region(Region::kEnglandAndWales)),
            2);
}

TEST(BankHolidayTable, ConfirmedOnlyThroughTheLastYearWhoseProclamationsAreAllMade) {
  // A later year can still gain a one-off day by proclamation, and Northern Ireland's 12 July is
  // proclaimed each year: 2027 is not confirmed.
  for (Region r : {Region::kEnglandAndWales, Region::kScotland, Region::kNorthernIreland}) {
    const auto& cal = HolidayCalendar::for_region(r);
    EXPECT_EQ(cal.confirmed_through(), 2026) << region_id(r);
    const auto confirmed = cal.holidays(2026, 2026), provisional = cal.holidays(2027, 2027);
    for (const auto& h : confirmed.value()) EXPECT_FALSE(h.provisional) << h.date.iso();
    for (const auto& h : provisional.value()) EXPECT_TRUE(h.provisional) << h.date.iso();
    EXPECT_EQ(cal.source(), "built-in table (confirmed through 2026)");
  }
}

// ---- the Christmas window (C-EXT) ------------------------------------------------------------

// The charter's window runs from 24 December "through the New Year bank holiday"; in Scotland the
// New Year bank holidays are 1 and 2 January (Banking and Financial Dealings Act 1971, Sch 1).
TEST(ChristmasWindow, InScotlandItEndsWithThe2JanuaryHoliday) {
  EXPECT_EQ(HolidayCalendar::for_region(Region::kScotland).new_year_holidays_end(2026).iso(), "2026-01-02");
  // 2027: 1 January is a Friday, the 2 January holiday moves to Monday 4 January.
  EXPECT_EQ(HolidayCalendar::for_region(Region::kScotland).new_year_holidays_end(2027).iso(), "2027-01-04");
  EXPECT_EQ(HolidayCalendar::for_region(Region::kEnglandAndWales).new_year_holidays_end(2026).iso(), "2026-01-01");
  EXPECT_EQ(HolidayCalendar::for_region(Region::kNorthernIreland).new_year_holidays_end(2027).iso(), "2027-01-01");

  // Six weeks from Monday 1 December 2025: 24 December to 1 January is 9 days in England and
  // Wales (the charter's example), 24 December to 2 January is 10 in Scotland.
  CharterPolicy ew = CharterPolicy::defaults();
  CharterPolicy scotland = CharterPolicy::defaults();
  scotland.region = Region::kScotland;
  EXPECT_EQ(plan_close(day("2025-12-01"), 6, ew).holiday_days, 9);
  EXPECT_EQ(plan_close(day("2025-12-01"), 6, scotland).holiday_days, 10);
  EXPECT_EQ(plan_close(day("2025-12-01"), 6, scotland).close.iso(), "2026-01-25");
  // Opening on Friday 2 January 2026 is inside the window only in Scotland.
  EXPECT_FALSE(plan_close(day("2026-01-02"), 6, ew).extended);
  const ClosePlan scot = plan_close(day("2026-01-02"), 6, scotland);
  EXPECT_TRUE(scot.extended);
  EXPECT_EQ(scot.close.iso(), "2026-02-26");  // 42 + 14 = 56 days from 2 January
}

// ---- the supported years ------------------------------------------------------------------------

TEST(SupportedYears, EveryCountingFunctionRefusesDaysOutsideThem) {
  const auto& cal = HolidayCalendar::for_region(Region::kEnglandAndWales);
  for (DayCountMode mode : {DayCountMode::kCalendar, DayCountMode::kWorking}) {
    auto before = clear_days(day("1950-01-01"), day("1950-02-01"), mode, cal);
    ASSERT_FALSE(before.ok());
    EXPECT_EQ(before.error().field, "published");
    EXPECT_NE(before.error().message.find("1978-01-01"), std::string::npos) << before.error().message;
    auto after = clear_days(day("2100-12-01"), day("2101-01-05"), mode, cal);
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().field, "event");
    EXPECT_FALSE(latest_publication(day("1977-12-31"), 5, mode, cal).ok());
    EXPECT_FALSE(earliest_event(day("2101-01-01"), 5, mode, cal).ok());
  }
  // The first and last supported days themselves count.
  EXPECT_EQ(*clear_days(day("1978-01-01"), day("1978-01-05"), DayCountMode::kCalendar, cal), 3);
  EXPECT_EQ(*clear_days(day("2100-12-27"), day("2100-12-31"), DayCountMode::kCalendar, cal), 3);
  // A count that would have to look into 1977 or 2101 is refused too: 5 clear working days
  // before Tue 3 January 1978 reach back into December 1977, whose holidays are unknown.
  auto back = latest_publication(day("1978-01-03"), 5, DayCountMode::kWorking, cal);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().field, "event");
  EXPECT_FALSE(latest_publication(day("1978-01-20"), 28, DayCountMode::kCalendar, cal).ok());
  EXPECT_FALSE(earliest_event(day("2100-12-28"), 5, DayCountMode::kWorking, cal).ok());
  // Sun 1 January 1978: the last working day on or before it lies in 1977.
  EXPECT_FALSE(last_working_day_on_or_before(day("1978-01-01"), cal).ok());
  EXPECT_EQ(last_working_day_on_or_before(day("1978-01-08"), cal)->iso(), "1978-01-06");
}

TEST(SupportedYears, DocumentsTheRulesReadRefuseDatesOutsideThemNamingTheField) {
  nlohmann::json plan = {{"key_decisions",
                          {{{"id", "kd-1"}, {"matter", "Old"}, {"decision_maker", {{"body", "Cabinet"}}},
                            {"decision_date", "1950-07-17"}, {"value_pence", 20000000}}}}};
  auto parsed = parse_forward_plan(plan);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "/key_decisions/0/decision_date");
  EXPECT_NE(parsed.error().message.find("outside the supported range"), std::string::npos);
  plan["key_decisions"][0]["decision_date"] = "2101-01-04";
  EXPECT_FALSE(parse_forward_plan(plan).ok());
  plan["key_decisions"][0]["decision_date"] = "2100-12-29";
  EXPECT_TRUE(parse_forward_plan(plan).ok());
}

// ---- the GOV.UK feed ----------------------------------------------------------------------------

TEST(HolidayFeed, TheGovUkFormatIsRead) {
  const HolidayFeed feed = test_feed();
  ASSERT_EQ(feed.divisions.size(), 3u);
  EXPECT_EQ(feed.divisions.at(Region::kEnglandAndWales).size(), 16u);
  EXPECT_EQ(feed.divisions.at(Region::kScotland).size(), 19u);
  EXPECT_EQ(feed.divisions.at(Region::kNorthernIreland).size(), 20u);
  EXPECT_EQ(feed_years(feed, Region::kScotland), (std::pair<int, int>{2026, 2027}));
  // Written back in the same format, it reads the same.
  auto again = parse_holiday_feed(holiday_feed_json(feed).dump());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->divisions.at(Region::kNorthernIreland).back().date.iso(), "2027-12-28");
}

TEST(HolidayFeed, AllOrNothingWithEveryBadEntryNamed) {
  auto doc = nlohmann::json::parse(test_feed_text());
  doc["england-and-wales"]["events"][1]["date"] = "2026-02-30";
  doc["scotland"]["events"][2]["date"] = "1977-12-27";
  doc["northern-ireland"]["events"][3]["date"] = doc["northern-ireland"]["events"][2]["date"];
  doc["northern-ireland"]["events"][4].erase("title");
  auto bad = parse_holiday_feed(doc.dump());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "/england-and-wales/events/1/date");
  const std::string& m = bad.error().message;
  EXPECT_NE(m.find("4 problems"), std::string::npos) << m;
  EXPECT_NE(m.find("/england-and-wales/events/1/date"), std::string::npos) << m;
  EXPECT_NE(m.find("/scotland/events/2/date"), std::string::npos) << m;
  EXPECT_NE(m.find("outside the supported range"), std::string::npos) << m;
  EXPECT_NE(m.find("/northern-ireland/events/3/date"), std::string::npos) << m;
  EXPECT_NE(m.find("listed twice"), std::string::npos) << m;
  EXPECT_NE(m.find("/northern-ireland/events/4/title"), std::string::npos) << m;

  auto missing = nlohmann::json::parse(test_feed_text());
  missing.erase("scotland");
  auto m2 = parse_holiday_feed(missing.dump());
  ASSERT_FALSE(m2.ok());
  EXPECT_EQ(m2.error().field, "/scotland");

  auto extra = nlohmann::json::parse(test_feed_text());
  extra["wales"] = extra["england-and-wales"];
  EXPECT_FALSE(parse_holiday_feed(extra.dump()).ok());
  EXPECT_FALSE(parse_holiday_feed("[]").ok());
  EXPECT_FALSE(parse_holiday_feed("{\"england-and-wales\":").ok());
}

TEST(HolidayFeed, AYearTheFeedListsIsTakenFromTheFeedAndTheRestFromTheTable) {
  HolidayFeed feed = test_feed();
  // Suppose a further one-off day is proclaimed for England and Wales in 2027 after this release.
  feed.divisions[Region::kEnglandAndWales].push_back({day("2027-06-07"), "A proclaimed day", "", true});
  const HolidayCalendars calendars(feed);
  const auto& ew = calendars.of(Region::kEnglandAndWales);
  EXPECT_TRUE(ew.is_bank_holiday(day("2027-06-07")));
  EXPECT_EQ(ew.confirmed_through(), 2027);
  EXPECT_EQ(ew.source(), "GOV.UK feed imported 2026-12-07");
  const auto listed = ew.holidays(2027, 2027), beyond = ew.holidays(2028, 2028);
  for (const auto& h : listed.value()) EXPECT_FALSE(h.provisional);
  for (const auto& h : beyond.value()) EXPECT_TRUE(h.provisional);
  // Years the feed does not list keep the built-in days (2022's Platinum Jubilee).
  EXPECT_TRUE(ew.is_bank_holiday(day("2022-06-03")));
  // GOV.UK's "Substitute day" note marks a substitute.
  EXPECT_TRUE(ew.holiday_on(day("2026-12-28"))->substitute);
  EXPECT_TRUE(calendars.of(Region::kScotland).is_bank_holiday(day("2026-06-15")));

  // Without a feed, each region is the built-in table.
  const HolidayCalendars builtin;
  EXPECT_FALSE(builtin.of(Region::kEnglandAndWales).is_bank_holiday(day("2027-06-07")));
}

TEST(HolidayFeed, FindingsThatCountWorkingDaysNameTheFeed) {
  // MEET-5: a public meeting's notice 5 clear working days before (reg 7).
  auto plan = parse_forward_plan(nlohmann::json{
      {"meetings", {{{"id", "m-1"}, {"body", "Cabinet"}, {"date", "2027-06-10"}, {"notice_published_on", "2027-06-02"},
                     {"agenda_published_on", "2027-06-02"}}}}});
  ASSERT_TRUE(plan.ok()) << plan.error().describe();
  CharterPolicy policy = CharterPolicy::defaults();
  auto builtin = check_forward_plan(*plan, policy, day("2027-06-01"));
  ASSERT_FALSE(builtin.empty());
  // Wed 2 June to Thu 10 June 2027: 3, 4, 7, 8, 9 June are five clear working days.
  EXPECT_EQ(builtin[0].figures.at("clear_days"), 5);
  EXPECT_EQ(builtin[0].severity, Severity::kInfo);
  EXPECT_EQ(builtin[0].bank_holidays, "built-in table (confirmed through 2026)");

  HolidayFeed feed = test_feed();
  feed.divisions[Region::kEnglandAndWales].push_back({day("2027-06-07"), "A proclaimed day", "", true});
  policy.holidays = std::make_shared<const HolidayCalendars>(feed);
  auto imported = check_forward_plan(*plan, policy, day("2027-06-01"));
  ASSERT_FALSE(imported.empty());
  EXPECT_EQ(imported[0].figures.at("clear_days"), 4);
  EXPECT_EQ(imported[0].severity, Severity::kBreach);
  EXPECT_EQ(imported[0].bank_holidays, "GOV.UK feed imported 2026-12-07");
  EXPECT_NE(imported[0].to_line().find("(bank holidays: GOV.UK feed imported 2026-12-07)"), std::string::npos);
  EXPECT_EQ(imported[0].to_json()["bank_holidays"], "GOV.UK feed imported 2026-12-07");
}

TEST(HolidayFeed, StoredAndReadBackAsTheLatestImport) {
  testing_store::TempDb dir;
  auto store = testing_store::open_ok(dir.path());
  auto none = stored_holidays(*store);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
  const HolidayFeed feed = test_feed();
  ASSERT_TRUE(store->put_holiday_feed(feed, AuditEvent{"test", "calendar.import", "calendar", "bank-holidays", {}}).ok());
  auto back = stored_holidays(*store);
  ASSERT_TRUE(back.ok());
  ASSERT_NE(*back, nullptr);
  EXPECT_EQ((*back)->of(Region::kScotland).source(), "GOV.UK feed imported 2026-12-07");
  auto entries = store->audit_entries();
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->back().event.action, "calendar.import");
}

}  // namespace
}  // namespace townhall
