#include "townhall/charter/wording.h"

#include <stdexcept>

#include "townhall/i18n/catalog.h"

namespace townhall {

std::string_view counted_key(Counted what) {
  switch (what) {
    case Counted::kDays: return "finding.count.days";
    case Counted::kClearDays: return "finding.count.clear_days";
    case Counted::kClearCalendarDays: return "finding.count.clear_calendar_days";
    case Counted::kClearWorkingDays: return "finding.count.clear_working_days";
    case Counted::kWeeks: return "finding.count.weeks";
    case Counted::kMonths: return "finding.count.months";
    case Counted::kHolidayDays: return "finding.count.holiday_days";
  }
  return "finding.count.days";
}

std::string counted(Counted what, int64_t n, std::string_view locale) {
  auto text = i18n::CatalogSet::builtin().format(locale, counted_key(what), {{"count", n}});
  if (!text) throw std::logic_error("findings catalog: " + text.error().describe());
  return std::move(text->text);
}

}  // namespace townhall
