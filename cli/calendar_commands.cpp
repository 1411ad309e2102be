// townhall calendar holidays | clear-days
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "options.h"

namespace townhall::cli {
namespace {

int holidays(const Args& args) {
  auto region = region_option(args);
  if (!region) return bad_input(region.error());
  const int this_year = Date::today_in_london().year();
  auto from = int_option(args, "from", this_year, HolidayCalendar::kFirstYear, HolidayCalendar::kLastYear);
  if (!from) return bad_input(from.error());
  auto to = int_option(args, "to", *from, HolidayCalendar::kFirstYear, HolidayCalendar::kLastYear);
  if (!to) return bad_input(to.error());
  const auto& cal = HolidayCalendar::for_region(*region);
  auto list = cal.holidays(*from, *to);
  if (!list) {
    Error e = list.error();
    e.field = "--" + e.field;
    return bad_input(e);
  }
  if (args.json()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& h : *list) {
      out.push_back({{"date", h.date.iso()}, {"name", h.name}, {"substitute", h.substitute}, {"provisional", h.provisional}});
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "Bank holidays in " << region_id(*region) << ", " << *from << "–" << *to << "\n";
  bool any_provisional = false;
  for (const auto& h : *list) {
    std::cout << h.date.iso() << "  " << weekday_name(h.date.weekday()) << "  " << h.name
              << (h.provisional ? "  (provisional)" : "") << "\n";
    any_provisional = any_provisional || h.provisional;
  }
  if (any_provisional) {
    std::cout << "Provisional: computed by rule; dates after " << cal.confirmed_through()
              << " may still be changed by proclamation.\n";
  }
  return kExitOk;
}

int clear_days_command(const Args& args) {
  auto from = date_argument(args.positional[0], "FROM");
  if (!from) return bad_input(from.error());
  auto to = date_argument(args.positional[1], "TO");
  if (!to) return bad_input(to.error());
  auto region = region_option(args);
  if (!region) return bad_input(region.error());
  auto mode = mode_option(args, DayCountMode::kCalendar);
  if (!mode) return bad_input(mode.error());
  if (*to < *from) return bad_input(invalid_argument("TO", "is before FROM"));
  const auto& cal = HolidayCalendar::for_region(*region);
  const int n = clear_days(*from, *to, *mode, cal);
  if (args.json()) {
    std::cout << nlohmann::json{{"from", from->iso()}, {"to", to->iso()}, {"mode", mode_id(*mode)},
                                {"region", region_id(*region)}, {"clear_days", n}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << n << " clear " << (*mode == DayCountMode::kWorking ? "working " : "") << "days between "
              << from->long_english() << " and " << to->long_english() << " (neither day counts)\n";
  }
  return kExitOk;
}

TOWNHALL_COMMAND("calendar holidays", "calendar holidays [--region R] [--from YEAR] [--to YEAR] [--json]",
                 OptionSpec{{"region", "from", "to"}, {}, 0, 0}, holidays);
TOWNHALL_COMMAND("calendar clear-days",
                 "calendar clear-days FROM TO [--mode calendar|working] [--region R] [--json]",
                 OptionSpec{{"region", "mode"}, {}, 2, 2}, clear_days_command);

}  // namespace
}  // namespace townhall::cli
