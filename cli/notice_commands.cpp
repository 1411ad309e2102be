// townhall notice latest-publication | earliest-event
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "database_option.h"
#include "options.h"

namespace townhall::cli {
namespace {

std::string period_text(int days, DayCountMode mode) {
  return std::to_string(days) + " clear " + (mode == DayCountMode::kWorking ? "working " : "") + "days";
}

// The options both notice commands take: the date, --days, --mode and --region.
struct NoticeArgs {
  Date date;
  int days = 28;
  DayCountMode mode = DayCountMode::kCalendar;
  Region region = Region::kEnglandAndWales;
  std::shared_ptr<const HolidayCalendars> imported;  // --db's imported feed, if any
  const HolidayCalendar& calendar() const { return imported ? imported->of(region) : HolidayCalendar::for_region(region); }
};

Result<NoticeArgs> notice_args(const Args& args, const std::string& date_name) {
  auto date = counting_date_option(args, date_name);
  if (!date) return date.error();
  auto days = int_option(args, "days", 28, 0, 366);
  if (!days) return days.error();
  auto mode = mode_option(args, DayCountMode::kCalendar);
  if (!mode) return mode.error();
  auto region = region_option(args);
  if (!region) return region.error();
  auto imported = holidays_option(args);
  if (!imported) return imported.error();
  return NoticeArgs{*date, *days, *mode, *region, *imported};
}

int latest(const Args& args) {
  auto n = notice_args(args, "event");
  if (!n) return bad_input(n.error());
  const auto& [event, days, mode, region, imported] = *n;
  const auto& cal = n->calendar();
  auto latest_day = latest_publication(event, days, mode, cal);
  auto working = latest_day ? last_working_day_on_or_before(*latest_day, cal) : Result<Date>(latest_day.error());
  if (!working) {
    Error e = working.error();
    e.field = "--event";
    return bad_input(e);
  }
  const Date last = *latest_day;
  const Date practical = *working;
  if (args.json()) {
    std::cout << nlohmann::json{{"event", event.iso()},
                                {"days", days},
                                {"mode", mode_id(mode)},
                                {"region", region_id(region)},
                                {"latest_publication", last.iso()},
                                {"practical_latest", practical.iso()},
                                {"latest_is_working_day", cal.is_working_day(last)},
                                {"bank_holidays", cal.source()}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::cout << "For " << period_text(days, mode) << "' notice of " << event.long_english()
            << ", publish no later than " << last.long_english() << ".\n";
  if (practical != last) {
    std::cout << "That is not a working day: in practice publish by " << practical.long_english() << ".\n";
  }
  return kExitOk;
}

int earliest(const Args& args) {
  auto n = notice_args(args, "published");
  if (!n) return bad_input(n.error());
  const auto& [published, days, mode, region, imported] = *n;
  const auto& cal = n->calendar();
  auto first_day = earliest_event(published, days, mode, cal);
  if (!first_day) {
    Error e = first_day.error();
    e.field = "--published";
    return bad_input(e);
  }
  const Date first = *first_day;
  if (args.json()) {
    std::cout << nlohmann::json{{"published", published.iso()},
                                {"days", days},
                                {"mode", mode_id(mode)},
                                {"region", region_id(region)},
                                {"earliest_event", first.iso()},
                                {"bank_holidays", cal.source()}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::cout << "A notice published on " << published.long_english() << " gives " << period_text(days, mode)
            << "' notice of an event on or after " << first.long_english() << ".\n";
  return kExitOk;
}

TOWNHALL_COMMAND("notice latest-publication",
                 "notice latest-publication --event YYYY-MM-DD [--days 28] [--mode calendar|working] [--region R] [--db PATH] [--json]",
                 OptionSpec{{"event", "days", "mode", "region", "db", "audit-key"}, {}, 0, 0}, latest);
TOWNHALL_COMMAND("notice earliest-event",
                 "notice earliest-event --published YYYY-MM-DD [--days 28] [--mode calendar|working] [--region R] [--db PATH] [--json]",
                 OptionSpec{{"published", "days", "mode", "region", "db", "audit-key"}, {}, 0, 0}, earliest);

}  // namespace
}  // namespace townhall::cli
