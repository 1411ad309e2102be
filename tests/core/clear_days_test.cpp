// Worked examples from docs/design.md §2.1 and by hand on a calendar.
#include "townhall/calendar/clear_days.h"

#include <gtest/gtest.h>

namespace townhall {
namespace {

Date D(const char* iso) { return *Date::parse(iso); }
const HolidayCalendar& EW() { return HolidayCalendar::for_region(Region::kEnglandAndWales); }

TEST(ClearDays, DesignExampleKeyDecision) {
  // Decision Thu 17 Jul 2025, 28 clear calendar days → latest publication Wed 18 Jun 2025.
  EXPECT_EQ(*latest_publication(D("2025-07-17"), 28, DayCountMode::kCalendar, EW()), D("2025-06-18"));
  EXPECT_EQ(*clear_days(D("2025-06-18"), D("2025-07-17"), DayCountMode::kCalendar, EW()), 28);
  EXPECT_EQ(*clear_days(D("2025-06-19"), D("2025-07-17"), DayCountMode::kCalendar, EW()), 27);
  EXPECT_EQ(*earliest_event(D("2025-06-18"), 28, DayCountMode::kCalendar, EW()), D("2025-07-17"));
}

TEST(ClearDays, DesignExampleMeeting1990) {
  // Meeting Tue 1 May 1990, notice Thu 26 Apr: Fri, Sat, Sun, Mon between → 4 calendar, 2 working.
  EXPECT_EQ(*clear_days(D("1990-04-26"), D("1990-05-01"), DayCountMode::kCalendar, EW()), 4);
  EXPECT_EQ(*clear_days(D("1990-04-26"), D("1990-05-01"), DayCountMode::kWorking, EW()), 2);
}

TEST(ClearDays, NeitherEndCounts) {
  EXPECT_EQ(*clear_days(D("2025-06-02"), D("2025-06-03"), DayCountMode::kCalendar, EW()), 0);
  EXPECT_EQ(*clear_days(D("2025-06-03"), D("2025-06-03"), DayCountMode::kCalendar, EW()), 0);
  EXPECT_EQ(*clear_days(D("2025-06-05"), D("2025-06-03"), DayCountMode::kCalendar, EW()), 0);
  EXPECT_EQ(*clear_days(D("2025-06-02"), D("2025-06-04"), DayCountMode::kCalendar, EW()), 1);
}

TEST(ClearDays, WorkingDaysAcrossWeekendAndBankHoliday) {
  // Meeting Tue 27 May 2025 after the Spring bank holiday (Mon 26). Five clear working days back:
  // Fri 23, Thu 22, Wed 21, Tue 20, Mon 19 → publish by Sun 18 May; practically Fri 16 May.
  const Date meeting = D("2025-05-27");
  const Date latest = *latest_publication(meeting, 5, DayCountMode::kWorking, EW());
  EXPECT_EQ(latest, D("2025-05-18"));
  EXPECT_EQ(*last_working_day_on_or_before(latest, EW()), D("2025-05-16"));
  EXPECT_EQ(*clear_days(D("2025-05-16"), meeting, DayCountMode::kWorking, EW()), 5);
  EXPECT_EQ(*clear_days(D("2025-05-18"), meeting, DayCountMode::kWorking, EW()), 5);
  EXPECT_EQ(*clear_days(D("2025-05-19"), meeting, DayCountMode::kWorking, EW()), 4);
  // Published Fri 16 May: Mon 19 to Fri 23 are the five, so the first event day is Sat 24 May.
  EXPECT_EQ(*earliest_event(D("2025-05-16"), 5, DayCountMode::kWorking, EW()), D("2025-05-24"));
  // Published Wed 21 May: Thu 22, Fri 23, (weekend, bank holiday) Tue 27, Wed 28, Thu 29 → Fri 30.
  EXPECT_EQ(*earliest_event(D("2025-05-21"), 5, DayCountMode::kWorking, EW()), D("2025-05-30"));
}

TEST(ClearDays, PracticalLatestOnWeekendAndBankHoliday) {
  // Event Mon 14 Jul 2025 − 29 days = Sun 15 Jun → practical Fri 13 Jun.
  const Date l1 = *latest_publication(D("2025-07-14"), 28, DayCountMode::kCalendar, EW());
  EXPECT_EQ(l1, D("2025-06-15"));
  EXPECT_EQ(*last_working_day_on_or_before(l1, EW()), D("2025-06-13"));
  // Event Tue 24 Jun 2025 − 29 days = Mon 26 May (bank holiday) → practical Fri 23 May.
  const Date l2 = *latest_publication(D("2025-06-24"), 28, DayCountMode::kCalendar, EW());
  EXPECT_EQ(l2, D("2025-05-26"));
  EXPECT_EQ(*last_working_day_on_or_before(l2, EW()), D("2025-05-23"));
}

TEST(ClearDays, RoundTripsAgreeWithCounting) {
  // For every event in 2025 and both modes, the latest publication has >= n clear days and the
  // next day has fewer; symmetric for earliest_event.
  for (DayCountMode mode : {DayCountMode::kCalendar, DayCountMode::kWorking}) {
    for (Date e = D("2025-01-01"); e <= D("2025-12-31"); e = e.plus_days(1)) {
      const int n = mode == DayCountMode::kCalendar ? 28 : 5;
      const Date p = *latest_publication(e, n, mode, EW());
      ASSERT_GE(*clear_days(p, e, mode, EW()), n) << e.iso();
      ASSERT_LT(*clear_days(p.plus_days(1), e, mode, EW()), n) << e.iso();
      const Date first = *earliest_event(e, n, mode, EW());
      ASSERT_GE(*clear_days(e, first, mode, EW()), n) << e.iso();
      ASSERT_LT(*clear_days(e, first.minus_days(1), mode, EW()), n) << e.iso();
    }
  }
}

TEST(ClearDays, ModeParsing) {
  EXPECT_EQ(*parse_mode("working"), DayCountMode::kWorking);
  EXPECT_FALSE(parse_mode("weekdays").ok());
}

}  // namespace
}  // namespace townhall
