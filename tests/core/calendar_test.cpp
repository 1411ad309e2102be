// Expected dates come from the rules in docs/design.md §2.2 worked by hand and from the published
// GOV.UK lists of UK bank holidays, not from the code under test.
#include "townhall/calendar/bank_holidays.h"

#include <gtest/gtest.h>

#include <set>

namespace townhall {
namespace {

std::vector<std::string> dates_of(Region r, int year) {
  auto hs = HolidayCalendar::for_region(r).holidays(year, year);
  EXPECT_TRUE(hs.ok());
  std::vector<std::string> out;
  for (const auto& h : *hs) out.push_back(h.date.iso());
  return out;
}

const BankHoliday* on(Region r, const char* iso) {
  return HolidayCalendar::for_region(r).holiday_on(*Date::parse(iso));
}

TEST(BankHolidays, EnglandAndWalesPublishedYears) {
  const auto ew = Region::kEnglandAndWales;
  EXPECT_EQ(dates_of(ew, 2025), (std::vector<std::string>{"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05",
                                                           "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"}));
  EXPECT_EQ(dates_of(ew, 2026), (std::vector<std::string>{"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04",
                                                           "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"}));
  // 2022: Spring moved to Thu 2 Jun, Platinum Jubilee Fri 3 Jun, State Funeral Mon 19 Sep.
  EXPECT_EQ(dates_of(ew, 2022),
            (std::vector<std::string>{"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
                                      "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"}));
  // 2023: coronation Mon 8 May.
  EXPECT_EQ(dates_of(ew, 2023), (std::vector<std::string>{"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01",
                                                           "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25",
                                                           "2023-12-26"}));
  // 2012: Spring moved to Mon 4 Jun, Diamond Jubilee Tue 5 Jun.
  EXPECT_EQ(dates_of(ew, 2012), (std::vector<std::string>{"2012-01-02", "2012-04-06", "2012-04-09", "2012-05-07",
                                                           "2012-06-04", "2012-06-05", "2012-08-27", "2012-12-25",
                                                           "2012-12-26"}));
  // 2020: Early May moved to Fri 8 May (VE Day).
  EXPECT_EQ(dates_of(ew, 2020), (std::vector<std::string>{"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08",
                                                           "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"}));
  // 2011: royal wedding Fri 29 Apr.
  EXPECT_EQ(dates_of(ew, 2011), (std::vector<std::string>{"2011-01-03", "2011-04-22", "2011-04-25", "2011-04-29",
                                                           "2011-05-02", "2011-05-30", "2011-08-29", "2011-12-26",
                                                           "2011-12-27"}));
}

TEST(BankHolidays, NamesOfProclaimedDays) {
  EXPECT_EQ(on(Region::kEnglandAndWales, "2023-05-08")->name, "Bank holiday for the coronation of King Charles III");
  EXPECT_EQ(on(Region::kEnglandAndWales, "2022-09-19")->name, "Bank holiday for the State Funeral of Queen Elizabeth II");
  EXPECT_EQ(on(Region::kEnglandAndWales, "2025-04-21")->name, "Easter Monday");
  EXPECT_EQ(on(Region::kEnglandAndWales, "2025-05-26")->name, "Spring bank holiday");
  EXPECT_EQ(on(Region::kEnglandAndWales, "2022-05-30"), nullptr);  // rule date superseded by the move
  EXPECT_EQ(on(Region::kEnglandAndWales, "2020-05-04"), nullptr);
  EXPECT_EQ(on(Region::kEnglandAndWales, "1995-05-01"), nullptr);
  EXPECT_NE(on(Region::kEnglandAndWales, "1995-05-08"), nullptr);
  EXPECT_NE(on(Region::kEnglandAndWales, "1999-12-31"), nullptr);
  EXPECT_NE(on(Region::kEnglandAndWales, "2002-06-03"), nullptr);
  EXPECT_NE(on(Region::kEnglandAndWales, "2002-06-04"), nullptr);
  EXPECT_EQ(on(Region::kEnglandAndWales, "2002-05-27"), nullptr);
}

// Every substitute day in England and Wales 2011–2028, worked from the rules:
// 1 Jan at a weekend → next Monday; 25 Dec Fri → Boxing Mon 28; Sat → Mon 27 + Tue 28;
// Sun → Boxing Mon 26 (not a substitute) + Christmas Tue 27.
TEST(BankHolidays, EverySubstituteDayEnglandAndWales2011To2028) {
  const std::set<std::string> expected = {
      "2011-01-03", "2011-12-27",                // 1 Jan Sat; 25 Dec Sun
      "2012-01-02",                              // 1 Jan Sun
      "2015-12-28",                              // 25 Dec Fri
      "2016-12-27",                              // 25 Dec Sun
      "2017-01-02",                              // 1 Jan Sun
      "2020-12-28",                              // 25 Dec Fri
      "2021-12-27", "2021-12-28",                // 25 Dec Sat
      "2022-01-03", "2022-12-27",                // 1 Jan Sat; 25 Dec Sun
      "2023-01-02",                              // 1 Jan Sun
      "2026-12-28",                              // 25 Dec Fri
      "2027-12-27", "2027-12-28",                // 25 Dec Sat
      "2028-01-03",                              // 1 Jan Sat
  };
  auto hs = HolidayCalendar::for_region(Region::kEnglandAndWales).holidays(2011, 2028);
  ASSERT_TRUE(hs.ok());
  std::set<std::string> got;
  for (const auto& h : *hs) {
    if (h.substitute) {
      got.insert(h.date.iso());
      EXPECT_NE(h.name.find("(substitute day)"), std::string::npos) << h.date.iso();
    }
    EXPECT_FALSE(h.date.is_weekend()) << h.date.iso() << " " << h.name;
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(on(Region::kEnglandAndWales, "2022-12-26")->name, "Boxing Day");
  EXPECT_FALSE(on(Region::kEnglandAndWales, "2022-12-26")->substitute);
  EXPECT_EQ(on(Region::kEnglandAndWales, "2022-12-27")->name, "Christmas Day (substitute day)");
  EXPECT_EQ(on(Region::kEnglandAndWales, "2021-12-27")->name, "Christmas Day (substitute day)");
  EXPECT_EQ(on(Region::kEnglandAndWales, "2021-12-28")->name, "Boxing Day (substitute day)");
}

TEST(BankHolidays, ScotlandAndNorthernIreland) {
  // Scotland 2025: 2 January, no Easter Monday, first Monday in August, St Andrew's Day Sun 30 Nov → Mon 1 Dec.
  EXPECT_EQ(dates_of(Region::kScotland, 2025),
            (std::vector<std::string>{"2025-01-01", "2025-01-02", "2025-04-18", "2025-05-05", "2025-05-26",
                                      "2025-08-04", "2025-12-01", "2025-12-25", "2025-12-26"}));
  // Scotland 2022: 1 Jan Sat → Mon 3 (New Year) and Tue 4 (2 January).
  EXPECT_EQ(on(Region::kScotland, "2022-01-03")->name, "New Year's Day (substitute day)");
  EXPECT_EQ(on(Region::kScotland, "2022-01-04")->name, "2nd January (substitute day)");
  // 2021: 1 Jan Fri → 2 January substitute Mon 4.
  EXPECT_TRUE(on(Region::kScotland, "2021-01-04")->substitute);
  // Northern Ireland 2025: St Patrick's Mon 17 Mar, Battle of the Boyne Sat 12 Jul → Mon 14 Jul.
  EXPECT_EQ(dates_of(Region::kNorthernIreland, 2025),
            (std::vector<std::string>{"2025-01-01", "2025-03-17", "2025-04-18", "2025-04-21", "2025-05-05",
                                      "2025-05-26", "2025-07-14", "2025-08-25", "2025-12-25", "2025-12-26"}));
}

TEST(BankHolidays, EasterByAnonymousGregorianAlgorithm) {
  // Easter Sundays: 2024-03-31, 2038-04-25 (latest possible), 2008-03-23 (earliest in range).
  EXPECT_EQ(on(Region::kEnglandAndWales, "2024-03-29")->name, "Good Friday");
  EXPECT_EQ(on(Region::kEnglandAndWales, "2038-04-26")->name, "Easter Monday");
  EXPECT_EQ(on(Region::kEnglandAndWales, "2008-03-24")->name, "Easter Monday");
}

TEST(BankHolidays, ProvisionalBeyondTheTableAndRangeErrors) {
  const auto& cal = HolidayCalendar::for_region(Region::kEnglandAndWales);
  auto later = cal.holidays(2040, 2040);
  ASSERT_TRUE(later.ok());
  for (const auto& h : *later) EXPECT_TRUE(h.provisional);
  auto now = cal.holidays(2025, 2025);
  for (const auto& h : *now) EXPECT_FALSE(h.provisional);
  EXPECT_FALSE(cal.holidays(1977, 1980).ok());
  EXPECT_FALSE(cal.holidays(2099, 2101).ok());
  EXPECT_FALSE(cal.holidays(2030, 2020).ok());
  EXPECT_EQ(cal.holidays(2100, 2100)->size(), 8u);
}

TEST(BankHolidays, WorkingDays) {
  const auto& cal = HolidayCalendar::for_region(Region::kEnglandAndWales);
  EXPECT_TRUE(cal.is_working_day(*Date::parse("2025-05-23")));   // Friday
  EXPECT_FALSE(cal.is_working_day(*Date::parse("2025-05-24")));  // Saturday
  EXPECT_FALSE(cal.is_working_day(*Date::parse("2025-05-26")));  // Spring bank holiday
  EXPECT_EQ(cal.new_year_bank_holiday(2022).iso(), "2022-01-03");
  EXPECT_EQ(cal.new_year_bank_holiday(2026).iso(), "2026-01-01");
}

TEST(BankHolidays, RegionParsing) {
  EXPECT_EQ(*parse_region("scotland"), Region::kScotland);
  auto bad = parse_region("wales", "--region");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "--region");
}

}  // namespace
}  // namespace townhall
