#include "leximin_internal.h"

namespace townhall::selection::leximin_internal {

Result<PanelDistribution> column_generation_leximin(const SelectionProblem& problem, const LeximinOptions& options,
                                                    PanelDistribution dist, const std::vector<TypePanel>& seed,
                                                    const Clock& clock) {
  PhaseTimer phase(dist.certificate, clock, "column generation");
  dist.certificate.method = "column generation";
  const TypeModel& tm = dist.types;
  const size_t T = tm.members.size();
  const size_t n = problem.people.size();
  std::vector<double> count(T);
  for (size_t t = 0; t < T; ++t) count[t] = static_cast<double>(tm.members[t].size());

  double first_level = 0;
  Pricer pricing(problem, tm);
  SwapSearch swaps(problem, tm);
  size_t heuristic_hits = 0, mip_calls = dist.mip_calls;
  double lp_seconds = dist.lp_seconds, mip_seconds = dist.mip_seconds;
  std::vector<TypePanel> panels;

  // Warm start: cover every type with some panel; types no panel can contain get probability 0.
  std::vector<bool> covered(T, false);
  std::vector<double> fixed(T, -1.0);
  std::vector<int> level_of(T, -1);
  LeximinProgress prog;
  prog.phase = "column generation";
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
      // Cheap first: swap uncovered types into the last panel. Only when no swap covers anything
      // new does exact pricing decide (it finds a panel with uncovered types or proves there is
      // none).
      std::optional<TypePanel> panel;
      if (!panels.empty()) {
        TypePanel cand = swaps.improve(panels.back(), w);
        if (panel_value(cand, w) > 0) panel = std::move(cand);
      }
      if (!panel) {
        auto priced = pricing.price(w);
        mip_calls += priced.used_mip ? 1 : 0;
        if (!priced.panel) {
          if (panels.empty() && !priced.failed)
            return Error{ErrorCode::kInfeasible, "quotas", "no panel meets all the quotas"};
          return Error{ErrorCode::kInternal, "", "solver failure during the warm start"};
        }
        panel = std::move(priced.panel);
      }
      bool added = false;
      for (size_t t = 0; t < T; ++t)
        if ((*panel)[t] > 0 && !covered[t]) {
          covered[t] = true;
          added = true;
        }
      if (!added) break;
      panels.push_back(*panel);
    }
    for (size_t t = 0; t < T; ++t)
      if (!covered[t]) {
        fixed[t] = 0.0;
        for (int p : tm.members[t]) dist.infeasible_people.push_back(p);
      }
    std::sort(dist.infeasible_people.begin(), dist.infeasible_people.end());
  }
  {
    std::set<TypePanel> have(panels.begin(), panels.end());
    for (const auto& s : seed)
      if (have.insert(s).second) panels.push_back(s);
  }

  // Restricted primal LP over the panel set (the form whose basis stays small as panels are added):
  //   min -z  s.t.  sum_j p_j = 1,
  //   for each type t: sum_j p_j x_t(j) / count_t - [t unfixed] z >= (t fixed ? fixed_t : 0).
  // The row duals u_t (>= 0, summing to 1 over unfixed types) are the dual weights; a person of
  // type t weighs w_t = u_t / count_t. For any panel P, value(P) - sum_fixed fixed_t u_t, with
  // value(P) = sum_t x_t(P) w_t, bounds this level's optimum from above when P maximises value.
  auto lp = make_coin_model();
  const int z = lp->add_variable(-kLpInfinity, kLpInfinity, -1.0);
  const int conv_row = lp->add_constraint({}, {}, 1.0, 1.0);
  std::vector<int> type_row(T);
  for (size_t t = 0; t < T; ++t) {
    if (fixed[t] < 0) type_row[t] = lp->add_constraint({z}, {-1.0}, 0.0, kLpInfinity);
    else type_row[t] = lp->add_constraint({}, {}, fixed[t], kLpInfinity);
  }
  for (const auto& p : panels) add_panel_column(*lp, conv_row, type_row, count, p);
  std::set<TypePanel> known(panels.begin(), panels.end());

  size_t people_fixed = dist.infeasible_people.size();
  std::clock_t last_report = std::clock();
  while (people_fixed < n) {
    double fixed_mass = 0, unfixed_people = 0;
    for (size_t t = 0; t < T; ++t) {
      if (fixed[t] >= 0) fixed_mass += fixed[t] * count[t];
      else unfixed_people += count[t];
    }
    const double average = (problem.k - fixed_mass) / unfixed_people;
    double lower = 0, upper = average;
    prog.upper = average;
    std::vector<double> u(T), w(T), us(T), ws(T), centre(T);
    bool have_centre = false;
    double centre_bound = kLpInfinity;
    while (true) {
      const std::clock_t lp_start = std::clock();
      auto lp_status = lp->solve();
      lp_seconds += static_cast<double>(std::clock() - lp_start) / CLOCKS_PER_SEC;
      if (lp_status != LpStatus::kOptimal) {
        return Error{ErrorCode::kInternal, "", "LP solver failed in the LEXIMIN restricted LP"};
      }
      lower = -lp->objective();
      if (clock.out_of_time()) {
        // The best so far: the restricted LP's distribution. The levels fixed so far are proven;
        // the people not yet fixed form an open level whose lowest probability is `lower`, and no
        // distribution can give them all more than `upper`.
        auto values = lp->values();
        values.erase(values.begin());  // column 0 is z; the panels follow in order
        dist.panels_generated = panels.size();
        set_support(dist, panels, values, n);
        std::vector<double> bound(T);
        std::vector<int> level = level_of;
        for (size_t t = 0; t < T; ++t) {
          bound[t] = fixed[t] >= 0 ? fixed[t] : std::max(lower, upper);
          if (fixed[t] < 0) level[t] = dist.levels;
        }
        dist.certificate.stopped_early = true;
        certify(dist, bound, level, dist.levels + 1, /*open_last=*/true,
                dist.levels > 0 ? first_level : std::max(lower, upper));
        phase.finish();  // before `dist` is moved out
        return dist;
      }
      if (options.progress && std::clock() - last_report > CLOCKS_PER_SEC) {
        last_report = std::clock();
        prog.elapsed = clock.elapsed();
        prog.lower = lower;
        prog.upper = std::max(upper, lower);
        prog.panels = panels.size();
        prog.lp_seconds = lp_seconds;
        prog.mip_seconds = mip_seconds;
        options.progress(prog);
      }
      if (lower >= average - kPricingTol) {
        upper = lower;
        // Every unfixed person reaches the average: fix them all.
        for (size_t t = 0; t < T; ++t) u[t] = fixed[t] < 0 ? 1.0 : 0.0;
        break;
      }
      auto duals = lp->duals();
      double unfixed_sum = 0, fixed_term = 0;
      for (size_t t = 0; t < T; ++t) {
        u[t] = std::max(0.0, duals[static_cast<size_t>(type_row[t])]);
        if (fixed[t] < 0) unfixed_sum += u[t];
      }
      if (unfixed_sum <= 0) return Error{ErrorCode::kInternal, "", "LEXIMIN: degenerate dual weights"};
      for (size_t t = 0; t < T; ++t) {
        u[t] /= unfixed_sum;
        w[t] = u[t] / count[t];
        if (fixed[t] >= 0) fixed_term += fixed[t] * u[t];
      }
      // Pricing: the LP relaxation bounds the level (and usually yields the best panel outright);
      // the swap heuristic adds more columns from the best existing panels, so that one LP solve
      // takes several new columns; CBC runs only when neither finds an improving panel and the
      // relaxation is fractional above the threshold. Any panel worth more than `threshold`
      // improves the LP; none means this level is optimal.
      const double threshold = lower + fixed_term + kPricingTol;
      size_t added = 0;
      auto add = [&](const TypePanel& cand) {
        if (panel_value(cand, w) > threshold && known.insert(cand).second) {
          panels.push_back(cand);
          add_panel_column(*lp, conv_row, type_row, count, cand);
          ++added;
        }
      };
      const std::clock_t mip_start = std::clock();
      Pricer::Outcome priced;
      // Dual smoothing (Wentges): price first at a mix of these duals and the stability centre
      // (the duals with the best upper bound so far). Restricted-LP duals oscillate between
      // levels' extreme points; the smoothed ones give panels that help more, so a level needs
      // fewer rounds. A smoothed panel is used only if it also improves at the LP duals;
      // otherwise (and for the optimality certificate) pricing falls back to the LP duals.
      if (have_centre && kSmoothing > 0) {
        double fixed_s = 0;
        for (size_t t = 0; t < T; ++t) {
          us[t] = kSmoothing * centre[t] + (1 - kSmoothing) * u[t];
          ws[t] = us[t] / count[t];
          if (fixed[t] >= 0) fixed_s += fixed[t] * us[t];
        }
        auto smooth = pricing.price(ws, lower + fixed_s + kPricingTol);
        mip_calls += smooth.used_mip ? 1 : 0;
        if (smooth.failed) return Error{ErrorCode::kInternal, "", "MIP solver failed in LEXIMIN pricing"};
        if (smooth.bound - fixed_s < centre_bound) {
          centre_bound = smooth.bound - fixed_s;
          centre = us;
        }
        upper = std::max(lower, std::min(upper, smooth.bound - fixed_s));
        if (smooth.panel && panel_value(*smooth.panel, w) > threshold) priced = std::move(smooth);
      }
      if (!priced.panel) {
        priced = pricing.price(w, threshold);
        mip_calls += priced.used_mip ? 1 : 0;
        if (!priced.failed) {
          upper = std::max(lower, std::min(upper, priced.bound - fixed_term));
          if (priced.bound - fixed_term < centre_bound) {
            centre_bound = priced.bound - fixed_term;
            centre = u;
            have_centre = true;
          }
        }
      }
      mip_seconds += static_cast<double>(std::clock() - mip_start) / CLOCKS_PER_SEC;
      if (priced.failed) return Error{ErrorCode::kInternal, "", "MIP solver failed in LEXIMIN pricing"};
      prog.lower = lower;
      prog.upper = upper;
      prog.panels = panels.size();
      if (!priced.panel) {
        upper = lower;  // certified: no panel beats the restricted LP by more than the tolerance
        prog.upper = upper;
        break;
      }
      add(*priced.panel);
      add(swaps.improve(*priced.panel, w));
      const size_t before = added;
      for (size_t j : best_panels(panels, w, kHeuristicStarts)) add(swaps.improve(panels[j], w));
      heuristic_hits += added - before;
      if (added == 0) {
        // The priced panel is already in the LP: its apparent gain is solver tolerance, so the
        // level is optimal.
        upper = lower;
        prog.upper = upper;
        break;
      }
    }
    // Fix every unfixed type with positive dual weight at this level's value.
    const double level_value = std::max(0.0, std::min(lower, average));
    size_t newly = 0;
    for (size_t t = 0; t < T; ++t) {
      if (fixed[t] >= 0) continue;
      if (u[t] > kFixTol) {
        fixed[t] = level_value;
        level_of[t] = dist.levels;
        people_fixed += tm.members[t].size();
        ++newly;
        lp->set_coefficient(type_row[t], z, 0.0);
        lp->set_row_bounds(type_row[t], level_value, kLpInfinity);
      }
    }
    if (newly == 0) return Error{ErrorCode::kInternal, "", "LEXIMIN made no progress at a level"};
    if (dist.levels == 0) first_level = level_value;
    ++dist.levels;
    prog.level = dist.levels;
    prog.people_fixed = people_fixed;
    prog.lower = lower;
    prog.upper = upper;
    prog.panels = panels.size();
    prog.elapsed = clock.elapsed();
    if (options.progress) options.progress(prog);
  }
  dist.panels_generated = panels.size();
  dist.mip_calls = mip_calls;
  dist.lp_seconds = lp_seconds;
  dist.mip_seconds = mip_seconds;
  dist.heuristic_panels = heuristic_hits;

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
  set_support(dist, panels, primal->values(), n);
  certify(dist, fixed, level_of, dist.levels, /*open_last=*/false, first_level);
  phase.finish();  // before `dist` is moved out
  return dist;
}

}  // namespace townhall::selection::leximin_internal
