// cli/options.h — shared parsing of the options several commands take (--region, --mode,
// --policy, dates), so every command reports bad input the same way.
#pragma once

#include <optional>
#include <string>

#include "cli.h"
#include "townhall/calendar/bank_holidays.h"
#include "townhall/calendar/clear_days.h"
#include "townhall/charter/policy.h"
#include "townhall/date.h"
#include "townhall/selection/selection.h"

namespace townhall::cli {

Result<Region> region_option(const Args& args, Region fallback = Region::kEnglandAndWales);
Result<DayCountMode> mode_option(const Args& args, DayCountMode fallback);
Result<int> int_option(const Args& args, const std::string& name, int fallback, int min, int max);
Result<Date> date_option(const Args& args, const std::string& name);  // required
Result<Date> date_argument(const std::string& text, const std::string& name);
// Dates that days are counted from: as above, and in the years whose bank holidays are known
// (HolidayCalendar::supports), else an error naming the option.
Result<Date> counting_date_option(const Args& args, const std::string& name);
Result<Date> counting_date_argument(const std::string& text, const std::string& name);
// --policy FILE, else the charter's defaults.
Result<CharterPolicy> policy_option(const Args& args);
// Panel draws: --algorithm leximin|legacy (default leximin); --seed S, a non-negative 64-bit
// integer (default: a fresh random seed).
Result<selection::Algorithm> algorithm_option(const Args& args);
Result<uint64_t> seed_option(const Args& args);
// --max-seconds S: LEXIMIN's wall-clock limit, a positive number of seconds (0 when not given).
Result<double> max_seconds_option(const Args& args);
// Prints LEXIMIN's progress on stderr, one readable line each time.
void print_leximin_progress(const selection::LeximinProgress& progress);

}  // namespace townhall::cli
