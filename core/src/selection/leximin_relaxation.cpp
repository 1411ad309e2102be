#include "leximin_internal.h"

namespace townhall::selection::leximin_internal {

namespace {

// LEXIMIN of the LP relaxation of the panel polytope, {x : 0 <= x_t <= count_t, sum x = k, quota
// bounds, at most one per household}, on per-person probabilities x_t / count_t. It contains every
// distribution's marginals, so its LEXIMIN vector dominates the true one level by level. A level
// maximises the minimum over unfixed types and fixes the types whose rows have positive duals (by
// complementary slackness they cannot exceed it in any optimum), or all of them at the average
// cap.
struct RelaxedLeximin {
  std::vector<double> pi;       // per type
  std::vector<int> level_of;    // per type: the level it was fixed at
  int levels = 0;
  // No point of the relaxation (so no distribution over panels) gives everybody more: by weak
  // duality, the largest dual-weighted average of the first level's duals over the relaxation.
  double dual_bound = 0;
  // The last level's LP solution (expected counts per type): a point of the relaxation giving
  // every type at least pi_t (less the fixing margin). pi itself is a hair below it, so its
  // expected counts can fall short of a quota's minimum by the sum of those hairs (1.9e-6 of a
  // seat on 2 000 volunteers), and a decomposition of pi would stall once the mass left is that
  // small; this point meets every bound within the LP's tolerance.
  std::vector<double> point;
};

Result<RelaxedLeximin> relaxation_leximin(const SelectionProblem& problem, const TypeModel& tm,
                                          const LeximinOptions& options, const Clock& clock, LeximinProgress& prog) {
  const size_t T = tm.members.size();
  RelaxedLeximin out;
  std::vector<double> count(T);
  std::vector<double>& pi = out.pi;
  pi.assign(T, -1.0);
  out.level_of.assign(T, -1);
  for (size_t t = 0; t < T; ++t) count[t] = static_cast<double>(tm.members[t].size());
  // The model with the levels fixed so far: unfixed types x_t / count_t - z >= 0, fixed ones
  // x_t / count_t >= their level (a hair below, so that the LP's rounding cannot make later levels
  // infeasible). Built once and updated in place; rebuilt if a warm-started solve fails.
  std::unique_ptr<PanelModel> relaxed;
  std::vector<int> row(T);
  int z = 0;
  auto build = [&] {
    relaxed = std::make_unique<PanelModel>(problem, tm, /*slack=*/false, /*integer=*/false);
    z = relaxed->lp->add_variable(-kLpInfinity, kLpInfinity, -1.0);
    for (size_t t = 0; t < T; ++t)
      row[t] = pi[t] < 0 ? relaxed->lp->add_constraint({static_cast<int>(t), z}, {1.0 / count[t], -1.0}, 0.0, kLpInfinity)
                         : relaxed->lp->add_constraint({static_cast<int>(t)}, {1.0 / count[t]},
                                                       pi[t] - kRelaxedFixMargin, kLpInfinity);
  };
  build();
  size_t people_fixed = 0;
  int& levels = out.levels;
  while (people_fixed < problem.people.size()) {
    LpStatus status = relaxed->lp->solve();
    if (status != LpStatus::kOptimal && levels > 0) {
      build();
      status = relaxed->lp->solve();
    }
    LpModel& lp = *relaxed->lp;
    if (status == LpStatus::kInfeasible && levels == 0)
      return Error{ErrorCode::kInfeasible, "quotas", "no panel meets all the quotas"};
    if (status != LpStatus::kOptimal)
      return Error{ErrorCode::kInternal, "", "LP solver failed in the LEXIMIN of the relaxation (status " +
                                                 std::to_string(static_cast<int>(status)) + ", level " +
                                                 std::to_string(levels + 1) + ")"};
    if (clock.out_of_time())
      return Error{ErrorCode::kInternal, "time-limit",
                   "LEXIMIN stopped at " + clock.limit() + " while computing the bounds (level " +
                       std::to_string(levels + 1) + "), before any panel was found; allow more time"};
    const double lower = -lp.objective();
    double fixed_mass = 0, unfixed_people = 0;
    for (size_t t = 0; t < T; ++t) {
      if (pi[t] >= 0) fixed_mass += pi[t] * count[t];
      else unfixed_people += count[t];
    }
    const double average = (problem.k - fixed_mass) / unfixed_people;
    const bool all = lower >= average - kPricingTol;
    const auto duals = lp.duals();
    double usum = 0;
    for (size_t t = 0; t < T; ++t)
      if (pi[t] < 0) usum += std::max(0.0, duals[static_cast<size_t>(row[t])]);
    if (!all && usum <= 0) return Error{ErrorCode::kInternal, "", "LEXIMIN: degenerate dual weights in the relaxation"};
    if (levels == 0) {
      // Weak duality: for duals u >= 0 summing to 1, min_t x_t / count_t <= sum_t u_t x_t / count_t
      // for every x, so the largest value of the right-hand side over the relaxation bounds every
      // distribution's lowest probability. One more LP, solved to its optimum (an objective value,
      // far less sensitive to the solver's tolerances than the level's row activities).
      out.dual_bound = average;
      if (!all) {
        PanelModel check(problem, tm, /*slack=*/false, /*integer=*/false);
        for (size_t t = 0; t < T; ++t)
          check.lp->set_cost(static_cast<int>(t), -std::max(0.0, duals[static_cast<size_t>(row[t])]) / usum / count[t]);
        if (check.lp->solve() == LpStatus::kOptimal) out.dual_bound = std::min(average, -check.lp->objective());
      }
    }
    // The level's value is z, but CLP meets each row only within its tolerance (1e-7), so z can
    // exceed what the solution gives the fixed types by that much, and over hundreds of people
    // that adds up to an infeasible next level. Fix them at what the solution actually gives them.
    const auto x = lp.values();
    std::vector<size_t> fixing;
    double value = std::max(0.0, std::min(lower, average));
    for (size_t t = 0; t < T; ++t)
      if (pi[t] < 0 && (all || std::max(0.0, duals[static_cast<size_t>(row[t])]) / usum > kFixTol)) {
        fixing.push_back(t);
        value = std::min(value, std::max(0.0, x[t] / count[t]));
      }
    out.point.assign(x.begin(), x.begin() + static_cast<long>(T));
    for (size_t t : fixing) {
      pi[t] = value;
      out.level_of[t] = levels;
      people_fixed += tm.members[t].size();
      lp.set_coefficient(row[t], z, 0.0);
      lp.set_row_bounds(row[t], value - kRelaxedFixMargin, kLpInfinity);
    }
    if (fixing.empty()) return Error{ErrorCode::kInternal, "", "LEXIMIN made no progress at a level of the relaxation"};
    ++levels;
    prog.level = levels;
    prog.people_fixed = people_fixed;
    prog.lower = prog.upper = value;
    prog.elapsed = clock.elapsed();
    if (options.progress) options.progress(prog);
  }
  return out;
}

}  // namespace

Result<bool> relaxation_then_decompose(const SelectionProblem& problem, const LeximinOptions& options,
                                       PanelDistribution& dist, std::vector<TypePanel>& seed, const Clock& clock) {
  const TypeModel& tm = dist.types;
  const size_t T = tm.members.size();
  const size_t n = problem.people.size();
  LeximinProgress prog;
  prog.people_total = n;
  prog.phase = "relaxation";
  RelaxedLeximin rel;
  {
    PhaseTimer phase(dist.certificate, clock, "relaxation");
    const std::clock_t lp_start = std::clock();
    auto relaxed = relaxation_leximin(problem, tm, options, clock, prog);
    if (!relaxed) return relaxed.error();
    rel = std::move(*relaxed);
    dist.lp_seconds += cpu_since(lp_start);
  }
  const std::vector<double>& pi = rel.pi;
  std::vector<double> count(T);
  for (size_t t = 0; t < T; ++t) count[t] = static_cast<double>(tm.members[t].size());

  // The result: a mixture of `found` with `weights` (rescaled to sum to 1), certified against pi.
  auto finish_with = [&](const std::vector<TypePanel>& found, const std::vector<double>& weights, bool stopped,
                         const char* method) {
    dist.levels = rel.levels;
    // A type the relaxation gives probability 0 is in no point of the relaxation (otherwise a
    // small move towards that point would raise it and keep every other type positive), so in no
    // panel either.
    dist.infeasible_people.clear();
    for (size_t t = 0; t < T; ++t)
      if (pi[t] <= 0)
        for (int p : tm.members[t]) dist.infeasible_people.push_back(p);
    std::sort(dist.infeasible_people.begin(), dist.infeasible_people.end());
    dist.panels_generated = found.size();
    set_support(dist, found, weights, n);
    dist.certificate.method = method;
    dist.certificate.stopped_early = stopped;
    certify(dist, pi, rel.level_of, rel.levels, /*open_last=*/false, rel.dual_bound);
    dist.relaxation_decomposed = dist.certificate.certified;
    dist.relaxation_shortfall = std::max(0.0, dist.certificate.max_shortfall);
  };
  auto no_panel_in_time = [&] {
    return Error{ErrorCode::kInternal, "time-limit",
                 "LEXIMIN stopped at " + clock.limit() + " before any panel was found; allow more time"};
  };

  // Carathéodory first.
  prog.phase = "decomposition";
  prog.levels_total = rel.levels;
  prog.tolerance = kLeximinTolerance;
  Caratheodory cara;
  {
    PhaseTimer phase(dist.certificate, clock, "decomposition");
    const std::clock_t cpu0 = std::clock();
    double last = -1, first_time = -1, first_residual = 0;
    const double stop = 0.5 * kLeximinTolerance;
    std::vector<double> level_residual(static_cast<size_t>(rel.levels));
    cara = caratheodory(problem, tm, rel.point, stop, [&] { return clock.out_of_time(); }, [&](const Caratheodory& c) {
      if (!options.progress) return;
      const double now = clock.elapsed();
      if (now - last < 1.0) return;
      last = now;
      std::fill(level_residual.begin(), level_residual.end(), 0.0);
      double residual = 0;
      for (size_t t = 0; t < T; ++t) {
        const double short_by = c.r[t] / count[t];
        residual = std::max(residual, short_by);
        if (rel.level_of[t] >= 0) {
          double& lr = level_residual[static_cast<size_t>(rel.level_of[t])];
          lr = std::max(lr, short_by);
        }
      }
      prog.levels_certified = 0;
      while (prog.levels_certified < rel.levels &&
             level_residual[static_cast<size_t>(prog.levels_certified)] <= kLeximinTolerance)
        ++prog.levels_certified;
      // The residual falls roughly geometrically (each step removes a share of what is left), so
      // the estimate extrapolates its logarithm.
      if (first_time < 0) {
        first_time = now;
        first_residual = residual;
        prog.estimate = -1;
      } else if (residual < first_residual && residual > stop) {
        const double rate = std::log(first_residual / residual) / (now - first_time);
        prog.estimate = std::log(residual / stop) / rate;
      }
      prog.residual = residual;
      prog.lower = -c.mass_left;
      prog.upper = 0;
      prog.panels = c.panels.size();
      prog.elapsed = now;
      prog.mip_seconds = dist.mip_seconds + cpu_since(cpu0);
      options.progress(prog);
    });
    dist.mip_calls += cara.mip_calls;
    dist.mip_seconds += cpu_since(cpu0);
  }
  if (!cara.stalled) {
    if (cara.panels.empty()) return no_panel_in_time();
    finish_with(cara.panels, cara.weights, cara.out_of_time, "relaxation + Carathéodory");
    if (dist.certificate.certified || cara.out_of_time) return true;
  }

  // The Carathéodory steps stalled: column generation from here.
  PhaseTimer phase(dist.certificate, clock, "decomposition (column generation)");
  // pi lies on faces of the relaxation: quotas its expected counts meet exactly. Every panel in
  // a mixture with marginals pi meets those quotas exactly too, so panels are generated in that
  // face only (the bound becomes min = max); nothing outside it could get positive weight.
  SelectionProblem face = problem;
  for (size_t c = 0; c < face.categories.size(); ++c) {
    Category& cat = face.categories[c];
    std::vector<double> expected(cat.values.size(), 0.0);
    for (size_t t = 0; t < T; ++t)
      expected[static_cast<size_t>(problem.people[static_cast<size_t>(tm.members[t][0])][c])] += pi[t] * count[t];
    for (size_t v = 0; v < cat.values.size(); ++v) {
      if (std::abs(expected[v] - cat.max[v]) <= kFaceTol) cat.min[v] = cat.max[v];
      else if (std::abs(expected[v] - cat.min[v]) <= kFaceTol) cat.max[v] = cat.min[v];
    }
  }
  {
    // Likewise people with probability 1 sit on every such panel, and people with 0 on none: an
    // extra category says so.
    Category fixed_in{"(probability 0 or 1)", {"free", "always", "never"}, {0, 0, 0}, {problem.k, 0, 0}};
    for (size_t t = 0; t < T; ++t)
      if (pi[t] >= 1 - kFaceTol) fixed_in.min[1] = fixed_in.max[1] += static_cast<int>(count[t]);
    for (size_t i = 0; i < n; ++i) {
      const double q = pi[static_cast<size_t>(tm.type_of[i])];
      face.people[i].push_back(q >= 1 - kFaceTol ? 1 : q <= 0 ? 2 : 0);
    }
    face.categories.push_back(fixed_in);
  }
  Pricer pricing(face, tm);
  SwapSearch swaps(face, tm);
  auto lp = make_coin_model();
  const int z = lp->add_variable(-kLpInfinity, kLpInfinity, -1.0);
  const int conv_row = lp->add_constraint({}, {}, 1.0, 1.0);
  std::vector<int> type_row(T);
  for (size_t t = 0; t < T; ++t) type_row[t] = lp->add_constraint({z}, {-1.0}, pi[t], kLpInfinity);
  std::vector<TypePanel> panels;
  std::set<TypePanel> known;
  auto add = [&](const TypePanel& p) {
    if (!known.insert(p).second) return false;
    panels.push_back(p);
    add_panel_column(*lp, conv_row, type_row, count, p);
    return true;
  };
  for (const auto& p : cara.panels) add(p);
  bool lp_solved = false;
  const char* kMethod = "relaxation + column generation";
  // At the time limit: the restricted LP's last solution (the best mixture of the panels it had),
  // else the Carathéodory steps' mixture.
  auto stopped = [&]() -> Result<bool> {
    if (lp_solved) {
      auto values = lp->values();
      values.erase(values.begin());  // column 0 is z; the panels follow in order
      finish_with(panels, values, true, kMethod);
      return true;
    }
    if (cara.panels.empty()) return no_panel_in_time();
    finish_with(cara.panels, cara.weights, true, kMethod);
    return true;
  };

  // Frank-Wolfe seeding: each panel maximises sum_t x_t (pi_t - avg_t) where avg is the average
  // of the panels so far, so the average moves towards pi.
  {
    std::vector<double> avg(T, 0.0), w(T);
    const std::clock_t start = std::clock();
    for (size_t m = 1; m <= kSeedRounds * T / static_cast<size_t>(problem.k) + 1; ++m) {
      for (size_t t = 0; t < T; ++t) w[t] = pi[t] - avg[t];
      auto priced = pricing.price(w);
      dist.mip_calls += priced.used_mip ? 1 : 0;
      if (!priced.panel) {
        if (priced.failed) return Error{ErrorCode::kInternal, "", "MIP solver failed in LEXIMIN pricing"};
        seed = std::move(panels);
        return false;  // no panel in pi's face: pi is not a mixture of panels
      }
      const TypePanel& p = *priced.panel;
      for (size_t t = 0; t < T; ++t) avg[t] += (p[t] / count[t] - avg[t]) / static_cast<double>(m);
      add(p);
      if (clock.out_of_time()) return stopped();
    }
    dist.mip_seconds += cpu_since(start);
    prog.panels = panels.size();
    prog.mip_seconds = dist.mip_seconds;
    prog.lp_seconds = dist.lp_seconds;
    prog.elapsed = clock.elapsed();
    prog.estimate = -1;
    if (options.progress) options.progress(prog);
  }

  std::vector<double> u(T), w(T);
  double last_report = clock.elapsed();
  bool realised = false;
  prog.upper = 0;
  while (true) {
    const std::clock_t t0 = std::clock();
    if (lp->solve() != LpStatus::kOptimal)
      return Error{ErrorCode::kInternal, "", "LP solver failed in the LEXIMIN decomposition"};
    lp_solved = true;
    dist.lp_seconds += cpu_since(t0);
    const double lower = -lp->objective();
    prog.lower = lower;
    prog.residual = -lower;
    prog.panels = panels.size();
    prog.lp_seconds = dist.lp_seconds;
    prog.mip_seconds = dist.mip_seconds;
    if (lower >= -kDecomposeTol) {
      realised = true;
      break;
    }
    if (clock.out_of_time()) return stopped();
    if (options.progress && clock.elapsed() - last_report > 1.0) {
      last_report = clock.elapsed();
      prog.elapsed = last_report;
      options.progress(prog);
    }
    const auto duals = lp->duals();
    double usum = 0, target = 0;
    for (size_t t = 0; t < T; ++t) usum += u[t] = std::max(0.0, duals[static_cast<size_t>(type_row[t])]);
    if (usum <= 0) return Error{ErrorCode::kInternal, "", "LEXIMIN: degenerate dual weights in the decomposition"};
    for (size_t t = 0; t < T; ++t) {
      u[t] /= usum;
      w[t] = u[t] / count[t];
      target += u[t] * pi[t];
    }
    // A panel improves the LP when its value exceeds this.
    const double threshold = lower + target + kPricingTol;
    const std::clock_t h0 = std::clock();
    size_t added = 0;
    auto take = [&](const TypePanel& cand) {
      if (panel_value(cand, w) > threshold && add(cand)) ++added;
    };
    for (size_t j : best_panels(panels, w, kDecomposeStarts)) take(swaps.improve(panels[j], w));
    dist.heuristic_panels += added;
    if (added == 0) {
      auto priced = pricing.price(w, threshold);
      dist.mip_calls += priced.used_mip ? 1 : 0;
      if (priced.failed) return Error{ErrorCode::kInternal, "", "MIP solver failed in LEXIMIN pricing"};
      prog.upper = std::min(0.0, priced.bound - target);  // no mixture of panels does better
      if (priced.panel) {
        take(*priced.panel);
        take(swaps.improve(*priced.panel, w));
      }
      // No improving panel (or only a known one): the LP optimum z < -tol is the certificate that
      // pi is not a mixture of panels. So is an exact bound below -tol.
      if (added == 0 || prog.upper < -kDecomposeTol) {
        dist.mip_seconds += cpu_since(h0);
        break;
      }
    }
    dist.mip_seconds += cpu_since(h0);
  }
  if (!realised) {
    seed = std::move(panels);
    return false;
  }
  auto values = lp->values();
  values.erase(values.begin());  // column 0 is z; the panels follow in order
  finish_with(panels, values, false, kMethod);
  return true;
}

}  // namespace townhall::selection::leximin_internal
