// `townhall panel draw`: draw a panel for a consultation from the members database, leaving out
// members over the contact limit or without the facts the quotas need (townhall/panel/draw.h),
// and record the invitations of the members drawn.
#include <cstdio>
#include <iostream>

#include "cli.h"
#include "database_option.h"
#include "options.h"
#include "townhall/util/csv_table.h"
#include "townhall/panel/draw.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::cli {
namespace {

using namespace townhall::panel;
using namespace townhall::selection;

int run_draw_command(const Args& a) {
  if (auto db = database_path(a); !db) return bad_input(db.error());
  auto consultation = a.option("consultation");
  if (!consultation) return bad_input(invalid_argument("--consultation", "is required (the consultation id)"));
  auto categories = a.option("categories");
  if (!categories) return bad_input(invalid_argument("--categories", "is required (quotas CSV)"));
  if (!a.option("size")) return bad_input(invalid_argument("--size", "is required (panel size)"));
  auto size = int_option(a, "size", 0, 1, 1000000);
  if (!size) return bad_input(size.error());
  auto algorithm = algorithm_option(a);
  if (!algorithm) return bad_input(algorithm.error());
  auto seed = seed_option(a);
  if (!seed) return bad_input(seed.error());
  auto max_seconds = max_seconds_option(a);
  if (!max_seconds) return bad_input(max_seconds.error());
  auto policy = policy_option(a);
  if (!policy) return bad_input(policy.error());
  auto today = a.option("today") ? date_option(a, "today") : Result<Date>(Date::today_in_london());
  if (!today) return bad_input(today.error());
  auto table = csv::read_csv_file(*categories);
  if (!table) return bad_input(table.error());
  auto quotas = parse_quotas(*table);
  if (!quotas) return bad_input(quotas.error());

  // A dry run records nothing, so it reads the database without changing it.
  auto store = open_database(a, a.flag("dry-run") ? DbUse::kRead : DbUse::kWrite);
  if (!store) return bad_input(store.error());
  if (auto c = (*store)->get_consultation(*consultation); !c) {
    Error e = c.error();
    e.field = "--consultation";
    return bad_input(e);
  }
  DrawRequest r;
  r.consultation_id = *consultation;
  r.quotas = std::move(*quotas);
  r.size = *size;
  r.algorithm = *algorithm;
  r.seed = *seed;
  r.households = a.flag("household");
  r.policy = ContactPolicy{policy->panel_max_invitations, policy->panel_window_days};
  r.today = *today;
  r.max_seconds = *max_seconds;
  r.progress = print_leximin_progress;
  const bool dry_run = a.flag("dry-run");
  auto done = draw_and_invite(**store, r, Actor::system("cli"), dry_run);
  if (!done) {
    if (!done.error().excluded.is_null()) std::cerr << done.error().excluded.value("summary", "") << "\n";
    if (done.error().code == ErrorCode::kInternal) {
      // No panel found within --max-seconds: the draw's own failure, not the input's.
      std::cerr << "townhall: " << done.error().describe() << "\n";
      return kExitBreach;
    }
    return bad_input(done.error());
  }
  const DrawPool& pool = done->pool;
  const DrawResult* drawn = &done->result;
  std::cerr << pool.exclusion_summary() << "\n";
  const auto& certificate = drawn->selection.certificate;
  if (certificate && !certificate->certified) std::cerr << "townhall: " << certificate->summary() << "\n";
  if (a.json()) {
    auto j = drawn->to_json(r, pool);
    j["invitations_recorded"] = !dry_run;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "Drew " << drawn->selected.size() << " of " << drawn->eligible << " eligible members for "
            << r.consultation_id << " (" << drawn->selection.algorithm << ", seed " << r.seed << ")\n";
  for (int64_t id : drawn->selected) std::cout << "  member " << id << "\n";
  std::printf("minimum selection probability %.4f, gini %.4f, %zu panels in support, %.2f s\n",
              drawn->selection.min_probability, drawn->selection.gini, drawn->selection.panels_in_support,
              drawn->selection.seconds);
  if (certificate) std::cout << certificate->summary() << "\n";
  std::cout << pool.exclusion_summary() << "\ncommitment " << drawn->selection.commitment << "\n"
            << (dry_run ? "dry run: no invitations recorded\n" : "invitations recorded for " + today->iso() + "\n");
  return kExitOk;
}

}  // namespace

TOWNHALL_COMMAND("panel draw",
                 "panel draw --db PATH --consultation ID --categories QUOTAS.csv --size K "
                 "[--algorithm leximin|legacy] [--seed S] [--household] [--max-seconds S] [--policy POLICY.json] "
                 "[--today YYYY-MM-DD] "
                 "[--dry-run] [--audit-key FILE] [--json]   (members over the contact limit or without the quota facts "
                 "are left out; the summary is on stderr)",
                 OptionSpec{{"db", "consultation", "categories", "size", "algorithm", "seed", "policy", "today",
                             "max-seconds", "audit-key"},
                            {"household", "dry-run"},
                            0,
                            0},
                 run_draw_command);

}  // namespace townhall::cli
