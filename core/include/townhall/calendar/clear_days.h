// townhall/calendar/clear_days.h — "clear days" notice arithmetic (docs/design.md §2.1).
//
// Clear days between a publication day P and an event day E are the days strictly between them:
// neither P nor E counts. In `calendar` mode every day counts; in `working` mode only Monday–Friday
// days that are not bank holidays in the region count.
//
// Every function here refuses (kInvalidArgument naming the argument: "published", "event", "date")
// a day outside the calendar's supported years, and a count that would have to look at one,
// because the bank holidays of those years are not known.
// Thread-safety: pure functions over an immutable HolidayCalendar.
#pragma once

#include <string_view>

#include "townhall/calendar/bank_holidays.h"
#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall {

enum class DayCountMode { kCalendar, kWorking };

const char* mode_id(DayCountMode mode);  // "calendar" | "working"
Result<DayCountMode> parse_mode(std::string_view text, std::string_view field = "mode");

// Clear days strictly between `published` and `event` (0 when event <= published + 1).
Result<int> clear_days(Date published, Date event, DayCountMode mode, const HolidayCalendar& calendar);

// The last publication day P with at least `n` clear days before `event`.
// Calendar mode: event − (n+1) days.
Result<Date> latest_publication(Date event, int n, DayCountMode mode, const HolidayCalendar& calendar);

// The first event day E with at least `n` clear days after `published`.
Result<Date> earliest_event(Date published, int n, DayCountMode mode, const HolidayCalendar& calendar);

// The last working day on or before `date`: the practical latest day to publish when the legal
// latest day falls at a weekend or on a bank holiday.
Result<Date> last_working_day_on_or_before(Date date, const HolidayCalendar& calendar);

}  // namespace townhall
