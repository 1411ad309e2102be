#include "townhall/calendar/clear_days.h"

#include <algorithm>

namespace townhall {

const char* mode_id(DayCountMode mode) {
  return mode == DayCountMode::kCalendar ? "calendar" : "working";
}

Result<DayCountMode> parse_mode(std::string_view text, std::string_view field) {
  if (text == "calendar") return DayCountMode::kCalendar;
  if (text == "working") return DayCountMode::kWorking;
  return invalid_argument(std::string(field),
                          "expected calendar or working, got \"" + std::string(text) + "\"");
}

namespace {
bool counts(Date d, DayCountMode mode, const HolidayCalendar& calendar) {
  return mode == DayCountMode::kCalendar || calendar.is_working_day(d);
}

// A count that ran past the supported years: say which argument took it there.
Error beyond_range(Date reached, std::string_view field, int n) {
  return invalid_argument(std::string(field),
                          std::to_string(n) + " clear days from it reach " + reached.iso() +
                              ", outside the supported range " + std::to_string(HolidayCalendar::kFirstYear) +
                              "-01-01 to " + std::to_string(HolidayCalendar::kLastYear) +
                              "-12-31 whose bank holidays are known");
}
}  // namespace

Result<int> clear_days(Date published, Date event, DayCountMode mode, const HolidayCalendar& calendar) {
  if (auto st = HolidayCalendar::check_supported(published, "published"); !st) return st.error();
  if (auto st = HolidayCalendar::check_supported(event, "event"); !st) return st.error();
  if (event - published <= 1) return 0;
  if (mode == DayCountMode::kCalendar) return event - published - 1;
  int n = 0;
  for (Date d = published.plus_days(1); d < event; d = d.plus_days(1)) {
    if (calendar.is_working_day(d)) ++n;
  }
  return n;
}

Result<Date> latest_publication(Date event, int n, DayCountMode mode, const HolidayCalendar& calendar) {
  if (auto st = HolidayCalendar::check_supported(event, "event"); !st) return st.error();
  Date d = event;
  if (mode == DayCountMode::kCalendar) {
    d = event.minus_days(n + 1);
  } else {
    // Walk back from the day before the event until n counting days lie behind us; the day before
    // the n-th counting day is the last possible publication day.
    for (int found = 0; found < n;) {
      d = d.minus_days(1);
      if (!HolidayCalendar::supports(d)) return beyond_range(d, "event", n);
      if (counts(d, mode, calendar)) ++found;
    }
    d = d.minus_days(1);
  }
  if (!HolidayCalendar::supports(d)) return beyond_range(d, "event", n);
  return d;
}

Result<Date> earliest_event(Date published, int n, DayCountMode mode, const HolidayCalendar& calendar) {
  if (auto st = HolidayCalendar::check_supported(published, "published"); !st) return st.error();
  Date d = published;
  if (mode == DayCountMode::kCalendar) {
    d = published.plus_days(n + 1);
  } else {
    for (int found = 0; found < n;) {
      d = d.plus_days(1);
      if (!HolidayCalendar::supports(d)) return beyond_range(d, "published", n);
      if (counts(d, mode, calendar)) ++found;
    }
    d = d.plus_days(1);
  }
  if (!HolidayCalendar::supports(d)) return beyond_range(d, "published", n);
  return d;
}

Result<Date> last_working_day_on_or_before(Date date, const HolidayCalendar& calendar) {
  if (auto st = HolidayCalendar::check_supported(date, "date"); !st) return st.error();
  while (!calendar.is_working_day(date)) {
    date = date.minus_days(1);
    if (!HolidayCalendar::supports(date)) return HolidayCalendar::check_supported(date, "date").error();
  }
  return date;
}

}  // namespace townhall
