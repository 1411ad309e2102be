// townhall consultation close-date
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "database_option.h"
#include "options.h"
#include "townhall/consultations/consultation_rules.h"

namespace townhall::cli {
namespace {

int close_date(const Args& args) {
  auto opens = counting_date_option(args, "opens");
  if (!opens) return bad_input(opens.error());
  auto policy = policy_option(args);
  if (!policy) return bad_input(policy.error());
  auto imported = holidays_option(args);
  if (!imported) return bad_input(imported.error());
  policy->holidays = *imported;
  auto weeks = int_option(args, "weeks", policy->big_decision_weeks, 1, 52);
  if (!weeks) return bad_input(weeks.error());
  const ClosePlan plan = plan_close(*opens, *weeks, *policy);
  if (args.json()) {
    std::cout << nlohmann::json{{"opens", plan.opens.iso()},
                                {"weeks", *weeks},
                                {"base_close", plan.base_close.iso()},
                                {"close", plan.close.iso()},
                                {"extended", plan.extended},
                                {"holiday_days", plan.holiday_days},
                                {"length_days", plan.length_days},
                                {"rule", "C-EXT"},
                                {"bank_holidays", policy->calendar().source()}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::cout << *weeks << " weeks from " << plan.opens.long_english() << " closes " << plan.base_close.long_english()
            << ".\n";
  if (plan.extended) {
    std::cout << "It runs over a holiday period (" << plan.holiday_days << " holiday days), so under C-EXT it closes "
              << plan.close.long_english() << " (" << plan.length_days << " days).\n";
  } else {
    std::cout << "No holiday period falls inside it: no extension needed.\n";
  }
  return kExitOk;
}

TOWNHALL_COMMAND("consultation close-date",
                 "consultation close-date --opens YYYY-MM-DD [--weeks 6] [--policy POLICY.json] [--db PATH] [--json]",
                 OptionSpec{{"opens", "weeks", "policy", "db", "audit-key"}, {}, 0, 0}, close_date);

}  // namespace
}  // namespace townhall::cli
