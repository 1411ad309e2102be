#include "townhall/selection/leximin.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "leximin_internal.h"

namespace townhall::selection {

bool quotas_feasible(const SelectionProblem& problem) {
  if (problem.k < 0 || static_cast<size_t>(problem.k) > problem.people.size()) return false;
  TypeModel tm = build_types(problem);
  leximin_internal::PanelModel pm(problem, tm);
  return pm.solve(std::vector<double>(tm.members.size(), 0.0), nullptr).has_value();
}

std::vector<QuotaRelaxation> suggest_relaxation(const SelectionProblem& problem) {
  std::vector<QuotaRelaxation> out;
  TypeModel tm = build_types(problem);
  leximin_internal::PanelModel pm(problem, tm, /*slack=*/true);
  if (pm.lp->solve() != LpStatus::kOptimal) return out;
  auto x = pm.lp->values();
  for (const auto& s : pm.slacks) {
    int lo = static_cast<int>(std::lround(x[static_cast<size_t>(s.lo_var)]));
    int hi = static_cast<int>(std::lround(x[static_cast<size_t>(s.hi_var)]));
    if (lo == 0 && hi == 0) continue;
    const Category& cat = problem.categories[s.cat];
    QuotaRelaxation r{cat.name, cat.values[s.value], cat.min[s.value], cat.max[s.value],
                      cat.min[s.value] - lo, cat.max[s.value] + hi};
    out.push_back(r);
  }
  return out;
}

Result<PanelDistribution> leximin(const SelectionProblem& problem, const LeximinOptions& options) {
  PanelDistribution dist;
  dist.types = build_types(problem);
  const size_t n = problem.people.size();
  if (problem.k <= 0 || static_cast<size_t>(problem.k) > n) {
    return Error{ErrorCode::kInfeasible, "size", "panel size " + std::to_string(problem.k) +
                 " is not between 1 and the " + std::to_string(n) + " available people"};
  }
  const leximin_internal::Clock clock(options.max_seconds, options.stop);
  std::vector<TypePanel> seed;
  if (options.relaxation_first) {
    auto done = leximin_internal::relaxation_then_decompose(problem, options, dist, seed, clock);
    if (!done) return done.error();
    if (*done) return dist;
  }
  return leximin_internal::column_generation_leximin(problem, options, std::move(dist), seed, clock);
}

namespace {

std::string fixed_digits(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string short_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1e", v);
  return buf;
}

std::string duration(double seconds) {
  if (seconds < 60) return fixed_digits(seconds, seconds < 10 ? 1 : 0) + " s";
  const long s = std::lround(seconds);
  return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
}

}  // namespace

std::string describe_progress(const LeximinProgress& p) {
  std::string out = "LEXIMIN ";
  const std::string phase = p.phase;
  if (phase == "relaxation") {
    out += "bounds (LP relaxation): level " + std::to_string(p.level) + " done, " + std::to_string(p.people_fixed) +
           " of " + std::to_string(p.people_total) + " people fixed, lowest probability " + fixed_digits(p.lower, 6);
  } else if (phase == "decomposition") {
    out += "panels: " + std::to_string(p.panels) + " panels, levels certified " + std::to_string(p.levels_certified) +
           " of " + std::to_string(p.levels_total) + ", residual " + short_number(p.residual) + " (done at " +
           short_number(p.tolerance) + ")";
  } else {
    out += std::string(p.phase) + ": level " + std::to_string(p.level + 1) + ", " + std::to_string(p.people_fixed) +
           " of " + std::to_string(p.people_total) + " people fixed, current level between " + fixed_digits(p.lower, 6) +
           " and " + fixed_digits(p.upper, 6) + ", " + std::to_string(p.panels) + " panels";
  }
  out += ", elapsed " + duration(p.elapsed);
  if (p.estimate >= 0) out += ", about " + duration(p.estimate) + " left";
  return out;
}

std::string LeximinCertificate::summary() const {
  const std::string tol = short_number(tolerance);
  double lowest = 1;
  for (const auto& level : levels) lowest = std::min(lowest, level.achieved);
  const std::string minimum = "lowest probability " + fixed_digits(levels.empty() ? 0.0 : lowest, 6) +
                              ", and no draw can give everybody more than " + fixed_digits(dual_bound, 6);
  if (certified) {
    return "certified LEXIMIN: " + (levels_total == 1 ? std::string("its level") : "all " + std::to_string(levels_total) + " levels") +
           " within " + tol + " of the best possible (" + minimum + ")";
  }
  std::string out = stopped_early ? "stopped at the time limit: " : "not certified: ";
  const bool open = !levels.empty() && levels.back().open;
  const std::string of = (open ? " of at least " : " of ") + std::to_string(levels_total);
  if (levels_certified == 0) out += "no level certified yet";
  else if (levels_certified == 1) out += "level 1" + of + " certified";
  else out += "levels 1-" + std::to_string(levels_certified) + of + " certified";
  out += " (" + minimum + "); probabilities may be up to " + fixed_digits(std::max(0.0, max_shortfall), 6) +
         " below the best possible";
  return out;
}

}  // namespace townhall::selection
