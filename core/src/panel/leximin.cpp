#include "townhall/panel/leximin.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "townhall/panel/lp_solver.h"

namespace townhall::panel {
namespace {

constexpr double kPricingTol = 1e-7;   // a panel must beat the LP cap by this to be added
constexpr double kFixTol = 1e-6;       // a type's total dual weight above this fixes it

// Integer model over type counts: sum x = k, quota bounds, at most one per shared household.
// With `slack`, every bound gets a penalised slack variable (for relaxation diagnosis).
struct PanelModel {
  std::unique_ptr<LpModel> lp;
  size_t types = 0;
  struct Slack { size_t cat, value; int lo_var, hi_var; };
  std::vector<Slack> slacks;

  PanelModel(const SelectionProblem& p, const TypeModel& tm, bool slack = false) : lp(make_coin_model()) {
    types = tm.members.size();
    for (size_t t = 0; t < types; ++t)
      lp->add_variable(0, static_cast<double>(tm.members[t].size()), 0.0, true);
    std::vector<int> all(types);
    for (size_t t = 0; t < types; ++t) all[t] = static_cast<int>(t);
    lp->add_constraint(all, std::vector<double>(types, 1.0), p.k, p.k);
    for (size_t c = 0; c < p.categories.size(); ++c) {
      const Category& cat = p.categories[c];
      for (size_t v = 0; v < cat.values.size(); ++v) {
        std::vector<int> vars;
        for (size_t t = 0; t < types; ++t)
          if (p.people[static_cast<size_t>(tm.members[t][0])][c] == static_cast<int>(v)) vars.push_back(static_cast<int>(t));
        std::vector<double> ones(vars.size(), 1.0);
        if (slack) {
          int lo = lp->add_variable(0, kLpInfinity, 1.0, true);
          int hi = lp->add_variable(0, kLpInfinity, 1.0, true);
          vars.push_back(lo);
          ones.push_back(1.0);
          vars.push_back(hi);
          ones.push_back(-1.0);
          slacks.push_back({c, v, lo, hi});
        }
        lp->add_constraint(vars, ones, cat.min[v], cat.max[v]);
      }
    }
    for (const auto& h : tm.households) {
      lp->add_constraint(h, std::vector<double>(h.size(), 1.0), 0, 1);
    }
    lp->set_maximize(!slack);
  }

  // Solves with the given per-type weights; returns the panel or nothing when infeasible.
  std::optional<TypePanel> solve(const std::vector<double>& weights, double* value) {
    for (size_t t = 0; t < types; ++t) lp->set_cost(static_cast<int>(t), weights[t]);
    if (lp->solve() != LpStatus::kOptimal) return std::nullopt;
    auto x = lp->values();
    TypePanel panel(types);
    for (size_t t = 0; t < types; ++t) panel[t] = static_cast<int>(std::lround(x[t]));
    if (value) {
      double v = 0;
      for (size_t t = 0; t < types; ++t) v += weights[t] * panel[t];
      *value = v;
    }
    return panel;
  }
};

}  // namespace

bool quotas_feasible(const SelectionProblem& problem) {
  if (problem.k < 0 || static_cast<size_t>(problem.k) > problem.people.size()) return false;
  TypeModel tm = build_types(problem);
  PanelModel pm(problem, tm);
  return pm.solve(std::vector<double>(tm.members.size(), 0.0), nullptr).has_value();
}

std::vector<QuotaRelaxation> suggest_relaxation(const SelectionProblem& problem) {
  std::vector<QuotaRelaxation> out;
  TypeModel tm = build_types(problem);
  PanelModel pm(problem, tm, /*slack=*/true);
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
  const TypeModel& tm = dist.types;
  const size_t T = tm.members.size();
  const size_t n = problem.people.size();
  if (problem.k <= 0 || static_cast<size_t>(problem.k) > n) {
    return Error{ErrorCode::kInfeasible, "size", "panel size " + std::to_string(problem.k) +
                 " is not between 1 and the " + std::to_string(n) + " available people"};
  }
  std::vector<double> count(T);
  for (size_t t = 0; t < T; ++t) count[t] = static_cast<double>(tm.members[t].size());

  PanelModel pricing(problem, tm);
  std::vector<TypePanel> panels;

  // Warm start: cover every type with some panel; types no panel can contain get probability 0.
  std::vector<bool> covered(T, false);
  std::vector<double> fixed(T, -1.0);
  LeximinProgress prog;
  prog.people_total = n;
  prog.upper = 1;
  {
    std::vector<double> w(T);
    while (true) {
      size_t uncovered = 0;
      for (size_t t = 0; t < T; ++t) {
        w[t] = covered[t] ? 0.0 : 1.0 / count[t];
        uncovered += covered[t] ? 0 : 1;
      }
      if (uncovered == 0) break;
      double value = 0;
      auto panel = pricing.solve(w, &value);
      if (!panel) {
        if (panels.empty()) return Error{ErrorCode::kInfeasible, "quotas", "no panel meets all the quotas"};
        return Error{ErrorCode::kInternal, "", "solver failure during the warm start"};
      }
      if (panels.empty() && value < 0.5 / static_cast<double>(n)) {
        // first solve may still be a panel; keep it, then check coverage
      }
      bool added = false;
      for (size_t t = 0; t < T; ++t)
        if ((*panel)[t] > 0 && !covered[t]) {
          covered[t] = true;
          added = true;
        }
      panels.push_back(*panel);
      if (!added) break;
    }
    for (size_t t = 0; t < T; ++t)
      if (!covered[t]) {
        fixed[t] = 0.0;
        for (int p : tm.members[t]) dist.infeasible_people.push_back(p);
      }
    std::sort(dist.infeasible_people.begin(), dist.infeasible_people.end());
  }

  // Restricted dual LP. Variables: w_t >= 0 (per-person weight of type t), cap (free).
  // min cap - sum_fixed fixed_t * count_t * w_t  s.t.  sum_unfixed count_t w_t = 1,
  //     sum_t x_t(P) w_t - cap <= 0 for every panel P.
  auto dual = make_coin_model();
  for (size_t t = 0; t < T; ++t) dual->add_variable(0, kLpInfinity, 0.0);
  const int cap = dual->add_variable(-kLpInfinity, kLpInfinity, 1.0);
  std::vector<int> all(T);
  for (size_t t = 0; t < T; ++t) all[t] = static_cast<int>(t);
  std::vector<double> norm(T);
  for (size_t t = 0; t < T; ++t) norm[t] = fixed[t] < 0 ? count[t] : 0.0;
  const int norm_row = dual->add_constraint(all, norm, 1.0, 1.0);
  auto add_panel_row = [&](const TypePanel& p) {
    std::vector<int> vars;
    std::vector<double> vals;
    for (size_t t = 0; t < T; ++t)
      if (p[t] > 0) {
        vars.push_back(static_cast<int>(t));
        vals.push_back(p[t]);
      }
    vars.push_back(cap);
    vals.push_back(-1.0);
    dual->add_constraint(vars, vals, -kLpInfinity, 0.0);
  };
  for (const auto& p : panels) add_panel_row(p);
  for (size_t t = 0; t < T; ++t)
    if (fixed[t] >= 0) dual->set_cost(static_cast<int>(t), -fixed[t] * count[t]);

  size_t people_fixed = dist.infeasible_people.size();
  while (people_fixed < n) {
    double fixed_mass = 0, unfixed_people = 0;
    for (size_t t = 0; t < T; ++t) {
      if (fixed[t] >= 0) fixed_mass += fixed[t] * count[t];
      else unfixed_people += count[t];
    }
    const double average = (problem.k - fixed_mass) / unfixed_people;
    double lower = 0, upper = 1;
    std::vector<double> w;
    while (true) {
      if (dual->solve() != LpStatus::kOptimal) {
        return Error{ErrorCode::kInternal, "", "LP solver failed in the LEXIMIN dual"};
      }
      auto vals = dual->values();
      lower = dual->objective();
      w.assign(vals.begin(), vals.begin() + static_cast<long>(T));
      const double cap_value = vals[static_cast<size_t>(cap)];
      if (lower >= average - kPricingTol) {
        upper = lower;
        // Every unfixed person reaches the average: fix them all.
        for (size_t t = 0; t < T; ++t) w[t] = fixed[t] < 0 ? 1.0 : 0.0;
        break;
      }
      double value = 0;
      auto panel = pricing.solve(w, &value);
      if (!panel) return Error{ErrorCode::kInternal, "", "MIP solver failed in LEXIMIN pricing"};
      upper = std::min(average, lower + (value - cap_value));
      prog.lower = lower;
      prog.upper = upper;
      prog.panels = panels.size();
      if (value <= cap_value + kPricingTol) break;
      panels.push_back(*panel);
      add_panel_row(*panel);
      if (options.progress && panels.size() % 50 == 0) options.progress(prog);
    }
    // Fix every unfixed type with positive dual weight at this level's value.
    const double level_value = std::max(0.0, std::min(lower, average));
    size_t newly = 0;
    for (size_t t = 0; t < T; ++t) {
      if (fixed[t] >= 0) continue;
      if (w[t] * count[t] > kFixTol) {
        fixed[t] = level_value;
        people_fixed += tm.members[t].size();
        ++newly;
        dual->set_coefficient(norm_row, static_cast<int>(t), 0.0);
        dual->set_cost(static_cast<int>(t), -level_value * count[t]);
      }
    }
    if (newly == 0) return Error{ErrorCode::kInternal, "", "LEXIMIN made no progress at a level"};
    ++dist.levels;
    prog.level = dist.levels;
    prog.people_fixed = people_fixed;
    prog.lower = lower;
    prog.upper = upper;
    prog.panels = panels.size();
    if (options.progress) options.progress(prog);
  }
  dist.panels_generated = panels.size();

  // Primal: a distribution over the panels giving every type at least its fixed probability
  // (up to a minimised shortfall).
  auto primal = make_coin_model();
  for (size_t j = 0; j < panels.size(); ++j) primal->add_variable(0, kLpInfinity, 0.0);
  const int slack = primal->add_variable(0, kLpInfinity, 1.0);
  {
    std::vector<int> vars(panels.size());
    for (size_t j = 0; j < panels.size(); ++j) vars[j] = static_cast<int>(j);
    primal->add_constraint(vars, std::vector<double>(panels.size(), 1.0), 1.0, 1.0);
  }
  for (size_t t = 0; t < T; ++t) {
    std::vector<int> vars;
    std::vector<double> vals;
    for (size_t j = 0; j < panels.size(); ++j)
      if (panels[j][t] > 0) {
        vars.push_back(static_cast<int>(j));
        vals.push_back(panels[j][t] / count[t]);
      }
    vars.push_back(slack);
    vals.push_back(1.0);
    primal->add_constraint(vars, vals, fixed[t], kLpInfinity);
  }
  if (primal->solve() != LpStatus::kOptimal) {
    return Error{ErrorCode::kInternal, "", "LP solver failed in the LEXIMIN primal"};
  }
  auto p = primal->values();
  double total = 0;
  for (size_t j = 0; j < panels.size(); ++j) {
    if (p[j] > 1e-9) total += p[j];
  }
  for (size_t j = 0; j < panels.size(); ++j) {
    if (p[j] > 1e-9) {
      dist.panels.push_back(panels[j]);
      dist.weights.push_back(p[j] / total);
    }
  }
  dist.probabilities.assign(n, 0.0);
  for (size_t j = 0; j < dist.panels.size(); ++j)
    for (size_t t = 0; t < T; ++t)
      if (dist.panels[j][t] > 0) {
        double share = dist.weights[j] * dist.panels[j][t] / count[t];
        for (int person : tm.members[t]) dist.probabilities[static_cast<size_t>(person)] += share;
      }
  return dist;
}

}  // namespace townhall::panel
