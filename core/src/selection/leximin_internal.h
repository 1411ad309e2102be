// Private to core/src/panel: the parts of LEXIMIN (leximin.h) shared by its files.
//
//   leximin.cpp                    the public driver: leximin(), quota checks, progress and summary text
//   leximin_columns.cpp            panels as LP columns, the distribution they make and its certificate
//   leximin_decompose.cpp          Carathéodory decomposition of a relaxation point into panels
//   leximin_relaxation.cpp         the relaxation's LEXIMIN, then its decomposition
//   leximin_column_generation.cpp  the exact column-generation LEXIMIN with integer pricing
//
// This header holds the integer panel model, the pricing oracles (exact and the swap heuristic),
// the time budget, and the declarations the files share.
// Thread-safety: none of these objects is shared between threads; one leximin() call owns them.
#pragma once

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <cstdlib>
#include <cmath>
#include <map>
#include <set>
#include <memory>
#include <cstdio>
#include <optional>
#include <vector>

#include "townhall/selection/leximin.h"
#include "townhall/selection/lp_solver.h"

namespace townhall::selection::leximin_internal {

constexpr double kPricingTol = 1e-7;   // a panel must beat the LP cap by this to be added
constexpr double kFixTol = 1e-6;       // a type's total dual weight above this fixes it
constexpr size_t kHeuristicStarts = 1;  // panels the swap heuristic starts from per round
constexpr double kSmoothing = 0.5;     // weight of the stability centre in smoothed pricing duals
constexpr double kRelaxedFixMargin = 1e-9;  // slack on fixed levels of the relaxation's LEXIMIN
constexpr double kDecomposeTol = kLeximinTolerance;  // largest shortfall from the relaxation's LEXIMIN accepted
constexpr double kFaceTol = 1e-4;       // expected count this close to a quota bound: pi is on that face
constexpr size_t kSeedRounds = 2;       // Frank-Wolfe panels per (types / k) before column generation
constexpr size_t kDecomposeStarts = 60; // panels the swap heuristic starts from per decomposition round
constexpr int kRoundingNodes = 200;     // branch-and-bound nodes a rounding of an LP vertex may take
constexpr int kFaceNodes = 20000;       // ... and a search for any panel on a whole face

double panel_value(const TypePanel& x, const std::vector<double>& w);

// Indices of the (at most) `count` panels worth most under weights w, best first: the starts
// of the swap heuristic.
std::vector<size_t> best_panels(const std::vector<TypePanel>& panels, const std::vector<double>& w, size_t count);

// The LP solution's first `types` values as a panel, when they are all integers (within 1e-9).
std::optional<TypePanel> integral_panel(const std::vector<double>& x, size_t types);

// Integer model over type counts: sum x = k, quota bounds, at most one per shared household.
// With `slack`, every bound gets a penalised slack variable (for relaxation diagnosis).
struct PanelModel {
  std::unique_ptr<LpModel> lp;
  size_t types = 0;
  struct Slack { size_t cat, value; int lo_var, hi_var; };
  std::vector<Slack> slacks;
  // Every constraint over the type variables (slacks left out), in row order: lo <= sum x <= hi.
  struct Row { std::vector<int> types; double lo, hi; };
  std::vector<Row> rows;

  PanelModel(const SelectionProblem& p, const TypeModel& tm, bool slack = false, bool integer = true)
      : lp(make_coin_model()) {
    types = tm.members.size();
    for (size_t t = 0; t < types; ++t)
      lp->add_variable(0, static_cast<double>(tm.members[t].size()), 0.0, integer);
    std::vector<int> all(types);
    for (size_t t = 0; t < types; ++t) all[t] = static_cast<int>(t);
    lp->add_constraint(all, std::vector<double>(types, 1.0), p.k, p.k);
    rows.push_back({all, static_cast<double>(p.k), static_cast<double>(p.k)});
    for (size_t c = 0; c < p.categories.size(); ++c) {
      const Category& cat = p.categories[c];
      for (size_t v = 0; v < cat.values.size(); ++v) {
        std::vector<int> vars;
        for (size_t t = 0; t < types; ++t)
          if (p.people[static_cast<size_t>(tm.members[t][0])][c] == static_cast<int>(v)) vars.push_back(static_cast<int>(t));
        std::vector<double> ones(vars.size(), 1.0);
        rows.push_back({vars, static_cast<double>(cat.min[v]), static_cast<double>(cat.max[v])});
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
      rows.push_back({h, 0.0, 1.0});
    }
    lp->set_maximize(false);
  }

  // Solves with the given per-type weights; returns the panel or nothing when infeasible.
  // Maximises sum weights_t x_t. With `must_exceed`, returns the first panel found whose value
  // exceeds it, or nothing when no panel does (a proof that the maximum is at most must_exceed).
  std::optional<TypePanel> solve(const std::vector<double>& weights, double* value,
                                 double must_exceed = -kLpInfinity, bool* failed = nullptr) {
    for (size_t t = 0; t < types; ++t) lp->set_cost(static_cast<int>(t), -weights[t]);
    if (must_exceed > -kLpInfinity) lp->set_mip_cutoff(-must_exceed, true);
    else lp->set_mip_cutoff(kLpInfinity, false);
    auto status = lp->solve();
    if (failed) *failed = status != LpStatus::kOptimal && status != LpStatus::kInfeasible;
    if (status != LpStatus::kOptimal) return std::nullopt;
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

// Exact pricing with the LP relaxation first. The relaxation (CLP, warm-started from the previous
// basis; only the objective changes between calls) is far cheaper than branch and bound, and its
// optimum bounds the value of every panel from above: when that bound is at most the threshold no
// panel beats it (the certificate), and when its optimal vertex is integral it is the best panel.
// CBC runs only when the relaxation is fractional above the threshold.
class Pricer {
 public:
  Pricer(const SelectionProblem& p, const TypeModel& tm) : exact_(p, tm), relaxed_(p, tm, false, false) {}

  struct Outcome {
    std::optional<TypePanel> panel;  // a panel worth more than the threshold, if any
    double bound = kLpInfinity;      // no panel is worth more than this
    bool failed = false;             // solver failure (neither a panel nor a proof)
    bool used_mip = false;
  };

  // Looks for a panel worth more than `threshold` (-kLpInfinity: the best panel).
  Outcome price(const std::vector<double>& w, double threshold = -kLpInfinity) {
    Outcome out;
    const size_t T = w.size();
    for (size_t t = 0; t < T; ++t) relaxed_.lp->set_cost(static_cast<int>(t), -w[t]);
    if (relaxed_.lp->solve() == LpStatus::kOptimal) {
      out.bound = -relaxed_.lp->objective();
      if (threshold > -kLpInfinity && out.bound <= threshold) return out;
      auto panel = integral_panel(relaxed_.lp->values(), T);
      if (panel && panel_value(*panel, w) > threshold) {
        out.panel = std::move(panel);
        return out;
      }
    }
    out.used_mip = true;
    double value = 0;
    out.panel = exact_.solve(w, &value, threshold, &out.failed);
    if (!out.panel && !out.failed && threshold > -kLpInfinity) out.bound = std::min(out.bound, threshold);
    return out;
  }

 private:
  PanelModel exact_, relaxed_;
};

// Cheap pricing heuristic: best-improvement single swaps (one person out, one in) from a start
// panel, keeping every quota and household rule. The exact MIP is still run whenever this finds no
// improving panel, so the optimality certificate does not depend on it.
class SwapSearch {
 public:
  SwapSearch(const SelectionProblem& p, const TypeModel& tm) : p_(p), tm_(tm) {
    const size_t T = tm.members.size();
    household_of_.assign(T, -1);
    for (size_t h = 0; h < tm.households.size(); ++h)
      for (int t : tm.households[h]) household_of_[static_cast<size_t>(t)] = static_cast<int>(h);
    value_.resize(T);
    for (size_t t = 0; t < T; ++t) value_[t] = p.people[static_cast<size_t>(tm.members[t][0])];
  }

  TypePanel improve(TypePanel x, const std::vector<double>& w) const {
    const size_t T = x.size();
    const size_t C = p_.categories.size();
    std::vector<std::vector<int>> cnt(C);
    for (size_t c = 0; c < C; ++c) cnt[c].assign(p_.categories[c].values.size(), 0);
    std::vector<int> hh(tm_.households.size(), 0);
    for (size_t t = 0; t < T; ++t) {
      if (x[t] == 0) continue;
      for (size_t c = 0; c < C; ++c) cnt[c][static_cast<size_t>(value_[t][c])] += x[t];
      if (household_of_[t] >= 0) hh[static_cast<size_t>(household_of_[t])] += x[t];
    }
    std::vector<size_t> order(T);
    for (size_t t = 0; t < T; ++t) order[t] = t;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return w[a] > w[b]; });
    for (int step = 0; step < 1000; ++step) {
      double best_gain = 1e-12;
      size_t best_a = T, best_b = T;
      for (size_t a = 0; a < T; ++a) {
        if (x[a] == 0) continue;
        for (size_t b : order) {
          if (w[b] - w[a] <= best_gain) break;
          if (b == a || x[b] >= static_cast<int>(tm_.members[b].size())) continue;
          if (household_of_[b] >= 0 && hh[static_cast<size_t>(household_of_[b])] -
                                               (household_of_[a] == household_of_[b] ? 1 : 0) >= 1)
            continue;
          bool ok = true;
          for (size_t c = 0; c < C && ok; ++c) {
            int va = value_[a][c], vb = value_[b][c];
            if (va == vb) continue;
            const Category& cat = p_.categories[c];
            if (cnt[c][static_cast<size_t>(va)] - 1 < cat.min[static_cast<size_t>(va)] ||
                cnt[c][static_cast<size_t>(vb)] + 1 > cat.max[static_cast<size_t>(vb)])
              ok = false;
          }
          if (!ok) continue;
          best_gain = w[b] - w[a];
          best_a = a;
          best_b = b;
          break;
        }
      }
      if (best_a == T) break;
      x[best_a]--;
      x[best_b]++;
      for (size_t c = 0; c < C; ++c) {
        cnt[c][static_cast<size_t>(value_[best_a][c])]--;
        cnt[c][static_cast<size_t>(value_[best_b][c])]++;
      }
      if (household_of_[best_a] >= 0) hh[static_cast<size_t>(household_of_[best_a])]--;
      if (household_of_[best_b] >= 0) hh[static_cast<size_t>(household_of_[best_b])]++;
    }
    return x;
  }

 private:
  const SelectionProblem& p_;
  const TypeModel& tm_;
  std::vector<int> household_of_;
  std::vector<std::vector<int>> value_;
};

// Wall-clock budget of one leximin() call, and time per phase.
class Clock {
 public:
  Clock(double max_seconds, std::function<bool()> stop) : max_seconds_(max_seconds), stop_(std::move(stop)) {}
  double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  bool out_of_time() const { return (max_seconds_ > 0 && elapsed() > max_seconds_) || (stop_ && stop_()); }
  // "its time limit of 300 s" / "its stop request"
  std::string limit() const {
    return max_seconds_ > 0 ? "its time limit of " + duration_text(max_seconds_) : "a stop request";
  }

 private:
  static std::string duration_text(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", s);
    return buf;
  }
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double max_seconds_;
  std::function<bool()> stop_;
};

double cpu_since(std::clock_t start);

// Adds a phase to the certificate when it goes out of scope (or at finish()).
class PhaseTimer {
 public:
  PhaseTimer(LeximinCertificate& cert, const Clock& clock, const char* name)
      : cert_(cert), clock_(clock), name_(name), wall0_(clock.elapsed()), cpu0_(std::clock()) {}
  ~PhaseTimer() { finish(); }
  void finish() {
    if (done_) return;
    done_ = true;
    cert_.phases.push_back({name_, clock_.elapsed() - wall0_, cpu_since(cpu0_)});
  }
  double seconds() const { return clock_.elapsed() - wall0_; }

 private:
  LeximinCertificate& cert_;
  const Clock& clock_;
  const char* name_;
  double wall0_;
  std::clock_t cpu0_;
  bool done_ = false;
};

// Carathéodory decomposition of a point of the relaxation into panels. The residual r (expected
// count per type still to be covered) with mass m (probability still to be placed) starts at the
// point and 1. Each step finds an integer panel v on the smallest face of the relaxation
// containing r/m (every bound and quota that r/m meets exactly, v meets exactly too) and gives it
// the largest weight a that keeps (r - a v)/(m - a) in the relaxation. That makes at least one
// more bound or quota exact, and faces only shrink (every later panel meets the bounds met so far),
// so at most (types + rows) steps are needed. A step is an LP warm-started from the last one
// (dual simplex: 20 ms against 32 ms with primal on 10 000 volunteers); its vertex is often
// integral, and when it is not, only its few fractional counts are rounded by a small integer
// programme, widened when that fails; CBC on the whole face runs only if both fail (measured on
// 10 000 volunteers: the whole-face CBC took 100 ms a step, the roundings 2 and 9 ms, and the
// widened one has not failed). The panel maximises the residual probability of the people it
// takes, which tends to make a large.
// It stops when nobody's residual probability r_t / count_t exceeds `stop_residual`: rescaling the
// weights placed so far to sum to 1 then leaves every type short of the point by at most that
// much. When the face holds no integer panel (the relaxation is not always integral) it stops with
// `stalled`, and column generation continues from the panels found.
struct Caratheodory {
  std::vector<TypePanel> panels;
  std::vector<double> weights;  // absolute: they sum to 1 - mass_left
  double mass_left = 1;
  std::vector<double> r;        // expected count per type still to be covered
  double residual = 1;          // max over types of r_t / count_t
  size_t steps = 0;
  size_t roundings = 0;         // vertices whose fractional counts needed rounding
  size_t mip_calls = 0;         // of those, the ones that needed CBC on the whole face
  bool stalled = false;
  bool out_of_time = false;
};

Caratheodory caratheodory(const SelectionProblem& problem, const TypeModel& tm, const std::vector<double>& start,
                          double stop_residual, const std::function<bool()>& out_of_time,
                          const std::function<void(const Caratheodory&)>& report);

// A panel as a column of a restricted LP over panels: 1 in the convexity row and, for each type
// on it, its share x_t / count_t of the type's people in the type's row.
void add_panel_column(LpModel& lp, int conv_row, const std::vector<int>& type_row, const std::vector<double>& count,
                      const TypePanel& p);

// The distribution's support, panel weights (normalised to sum 1) and per-person probabilities
// from LP values p (one per panel; further entries are ignored, missing ones count as 0).
void set_support(PanelDistribution& dist, const std::vector<TypePanel>& panels, const std::vector<double>& p,
                 size_t people);

// The certificate's levels from the result's probabilities: type t belongs to level level_of[t]
// (< 0: none) whose bound is bound[t]. With `open_last`, the last level is still being computed.
void certify(PanelDistribution& dist, const std::vector<double>& bound, const std::vector<int>& level_of, int levels,
             bool open_last, double dual_bound);

// Relaxation first: computes the relaxation's LEXIMIN vector pi, which bounds every distribution's
// LEXIMIN level by level, and writes it as a mixture of panels by Carathéodory steps until nobody
// is more than half the tolerance short of it. The result is then the LEXIMIN, proven to within
// the tolerance: it is within that of a vector nothing can beat. If the Carathéodory steps stall
// (a face with no integer panel), column generation continues on
//   max z  s.t.  sum_j p_j = 1,  for each type t: sum_j p_j x_t(j) / count_t - z >= pi_t
// (z <= 0 always; z >= -tolerance means pi is realised), seeded with the panels found and
// Frank-Wolfe panels; if exact pricing proves z < -tolerance, pi is not a mixture of panels:
// returns false and leaves the panels in `seed` for the column-generation LEXIMIN. At the time
// limit, the mixture found so far is the result, with what it proves. Otherwise fills `dist` and
// returns true.
Result<bool> relaxation_then_decompose(const SelectionProblem& problem, const LeximinOptions& options,
                                       PanelDistribution& dist, std::vector<TypePanel>& seed, const Clock& clock);

// The column-generation LEXIMIN over panels (levels of a restricted LP plus integer pricing). It
// is exact on every instance; `seed` panels (quota-feasible, e.g. from a failed decomposition) are
// added to the restricted LP after the warm start.
Result<PanelDistribution> column_generation_leximin(const SelectionProblem& problem, const LeximinOptions& options,
                                                    PanelDistribution dist, const std::vector<TypePanel>& seed,
                                                    const Clock& clock);

}  // namespace townhall::selection::leximin_internal
