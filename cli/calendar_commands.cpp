// townhall calendar holidays | clear-days | import
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "database_option.h"
#include "options.h"

namespace townhall::cli {
namespace {

// A core error about a counting function's argument, named as the command's argument.
Error as_argument(Error e, const std::string& name) {
  e.field = name;
  return e;
}

int holidays(const Args& args) {
  auto region = region_option(args);
  if (!region) return bad_input(region.error());
  const int this_year = Date::today_in_london().year();
  auto from = int_option(args, "from", this_year, HolidayCalendar::kFirstYear, HolidayCalendar::kLastYear);
  if (!from) return bad_input(from.error());
  auto to = int_option(args, "to", *from, HolidayCalendar::kFirstYear, HolidayCalendar::kLastYear);
  if (!to) return bad_input(to.error());
  auto imported = holidays_option(args);
  if (!imported) return bad_input(imported.error());
  const HolidayCalendars builtin;
  const auto& cal = *imported ? (*imported)->of(*region) : builtin.of(*region);
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
  std::cout << "Bank holidays in " << region_id(*region) << ", " << *from << "–" << *to << " (" << cal.source()
            << ")\n";
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
  auto from = counting_date_argument(args.positional[0], "FROM");
  if (!from) return bad_input(from.error());
  auto to = counting_date_argument(args.positional[1], "TO");
  if (!to) return bad_input(to.error());
  auto region = region_option(args);
  if (!region) return bad_input(region.error());
  auto mode = mode_option(args, DayCountMode::kCalendar);
  if (!mode) return bad_input(mode.error());
  if (*to < *from) return bad_input(invalid_argument("TO", "is before FROM"));
  auto imported = holidays_option(args);
  if (!imported) return bad_input(imported.error());
  const HolidayCalendars builtin;
  const auto& cal = *imported ? (*imported)->of(*region) : builtin.of(*region);
  auto n = clear_days(*from, *to, *mode, cal);
  if (!n) return bad_input(as_argument(n.error(), n.error().field == "published" ? "FROM" : "TO"));
  if (args.json()) {
    nlohmann::json out{{"from", from->iso()}, {"to", to->iso()}, {"mode", mode_id(*mode)},
                       {"region", region_id(*region)}, {"clear_days", *n}};
    if (*mode == DayCountMode::kWorking) out["bank_holidays"] = cal.source();
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << *n << " clear " << (*mode == DayCountMode::kWorking ? "working " : "") << (*n == 1 ? "day" : "days")
              << " between " << from->long_english() << " and " << to->long_english() << " (neither day counts)";
    if (*mode == DayCountMode::kWorking) std::cout << "; bank holidays: " << cal.source();
    std::cout << "\n";
  }
  return kExitOk;
}

int import_command(const Args& args) {
  const std::string& path = args.positional[0];
  auto text = read_file(path);
  if (!text) return bad_input(text.error());
  auto feed = parse_holiday_feed(*text);
  if (!feed) {
    Error e = feed.error();
    e.message = path + ": " + e.message;
    return bad_input(e);
  }
  feed->imported_on = Date::today_in_london();
  feed->source = args.option("source").value_or(std::filesystem::path(path).filename().string());
  auto store = open_database(args, DbUse::kWrite);
  if (!store) return bad_input(store.error());
  nlohmann::json detail{{"source", feed->source}, {"imported_on", feed->imported_on.iso()}};
  for (const auto& [region, days] : feed->divisions) {
    const auto [first, last] = feed_years(*feed, region);
    detail["divisions"][region_id(region)] = {{"days", days.size()}, {"from_year", first}, {"to_year", last}};
  }
  if (auto st = (*store)->put_holiday_feed(*feed, AuditEvent{"cli", "calendar.import", "calendar", "bank-holidays", detail});
      !st) {
    std::cerr << "townhall: " << st.error().describe() << "\n";
    return kExitBadInput;
  }
  if (args.json()) {
    std::cout << detail.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "Imported the bank holidays feed " << feed->source << " on " << feed->imported_on.iso() << ":\n";
  for (const auto& [region, days] : feed->divisions) {
    const auto [first, last] = feed_years(*feed, region);
    std::cout << "  " << region_id(region) << ": " << days.size() << " days, " << first << "–" << last << "\n";
  }
  std::cout << "Every command given --db " << *database_path(args) << " and the server over it now count with them.\n";
  return kExitOk;
}

TOWNHALL_COMMAND("calendar holidays", "calendar holidays [--region R] [--from YEAR] [--to YEAR] [--db PATH] [--json]",
                 OptionSpec{{"region", "from", "to", "db", "audit-key"}, {}, 0, 0}, holidays);
TOWNHALL_COMMAND("calendar clear-days",
                 "calendar clear-days FROM TO [--mode calendar|working] [--region R] [--db PATH] [--json]",
                 OptionSpec{{"region", "mode", "db", "audit-key"}, {}, 2, 2}, clear_days_command);
TOWNHALL_COMMAND("calendar import",
                 "calendar import FILE --db PATH [--create] [--source TEXT] [--json]   (the GOV.UK bank-holidays.json "
                 "feed: all three divisions, all rows or none; the commands and the server given that database then "
                 "count with it)",
                 OptionSpec{{"db", "audit-key", "source"}, {"create"}, 1, 1}, import_command);

}  // namespace
}  // namespace townhall::cli
