// townhall/charter/wording.h — counted phrases in findings ("1 clear day", "2 clear working days",
// "6 weeks"), formatted with the language's plural rules from the message catalogs (i18n/*.json,
// keys "finding.count.*"), so no finding adds an "s" by hand and each language's catalog gives its
// own forms (Welsh and Arabic have six).
// Thread-safety: reads the built-in catalogs, which are immutable; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace townhall {

enum class Counted {
  kDays,               // "3 days"
  kClearDays,          // "3 clear days" (the charter's days, counted without the two end days)
  kClearCalendarDays,  // "27 clear calendar days"
  kClearWorkingDays,   // "1 clear working day"
  kWeeks,              // "6 weeks"
  kMonths,             // "12 months"
  kHolidayDays,        // "9 holiday days"
};

// The catalog key of `what` ("finding.count.clear_days").
std::string_view counted_key(Counted what);

// `n` of `what` in `locale` (default the findings' language, en-GB). A key missing from the
// built-in catalogs is a build error caught by the catalog check, so this throws std::logic_error.
std::string counted(Counted what, int64_t n, std::string_view locale = "en-GB");

}  // namespace townhall
