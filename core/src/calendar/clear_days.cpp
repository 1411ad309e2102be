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
}  // namespace

int clear_days(Date published, Date event, DayCountMode mode, const HolidayCalendar& calendar) {
  if (event - published <= 1) return 0;
  if (mode == DayCountMode::kCalendar) return event - published - 1;
  int n = 0;
  for (Date d = published.plus_days(1); d < event; d = d.plus_days(1)) {
    if (calendar.is_working_day(d)) ++n;
  }
  return n;
}

Date latest_publication(Date event, int n, DayCountMode mode, const HolidayCalendar& calendar) {
  if (mode == DayCountMode::kCalendar) return event.minus_days(n + 1);
  // Walk back from the day before the event until n counting days lie behind us; the day before
  // the n-th counting day is the last possible publication day.
  Date d = event;
  for (int found = 0; found < n;) {
    d = d.minus_days(1);
    if (counts(d, mode, calendar)) ++found;
  }
  return d.minus_days(1);
}

Date earliest_event(Date published, int n, DayCountMode mode, const HolidayCalendar& calendar) {
  if (mode == DayCountMode::kCalendar) return published.plus_days(n + 1);
  Date d = published;
  for (int found = 0; found < n;) {
    d = d.plus_days(1);
    if (counts(d, mode, calendar)) ++found;
  }
  return d.plus_days(1);
}

Date last_working_day_on_or_before(Date date, const HolidayCalendar& calendar) {
  while (!calendar.is_working_day(date)) date = date.minus_days(1);
  return date;
}

}  // namespace townhall
