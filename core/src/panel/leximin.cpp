#include "townhall/panel/leximin.h"

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

#include "townhall/panel/lp_solver.h"

namespace townhall::panel {
namespace {

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

double panel_value(const TypePanel& x, const std::vector<double>& w) {
  double v = 0;
  for (size_t t = 0; t < x.size(); ++t)
    if (x[t]) v += w[t] * x[t];
  return v;
}

// Indices of the (at most) `count` panels worth most under weights w, best first: the starts
// of the swap heuristic.
std::vector<size_t> best_panels(const std::vector<TypePanel>& panels, const std::vector<double>& w, size_t count) {
  std::vector<std::pair<double, size_t>> ranked;
  ranked.reserve(panels.size());
  for (size_t j = 0; j < panels.size(); ++j) ranked.push_back({panel_value(panels[j], w), j});
  count = std::min(count, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<long>(count), ranked.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<size_t> out(count);
  for (size_t i = 0; i < count; ++i) out[i] = ranked[i].second;
  return out;
}

// The LP solution's first `types` values as a panel, when they are all integers (within 1e-9).
std::optional<TypePanel> integral_panel(const std::vector<double>& x, size_t types) {
  TypePanel panel(types);
  for (size_t t = 0; t < types; ++t) {
    const double r = std::round(x[t]);
    if (std::abs(x[t] - r) > 1e-9) return std::nullopt;
    panel[t] = static_cast<int>(r);
  }
  return panel;
}

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

double cpu_since(std::clock_t start) { return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC; }

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

// An integer panel on a face of the relaxation near the LP vertex x: the vertex's integral counts
// are kept and only its fractional ones (a few dozen among thousands of types) are decided, by a
// small integer programme over what the face leaves them. With `widen` > 0 the types on the
// vertex's panel and the `widen` best-weighted types off it (that the face does not pin) are
// decided too, which repairs most of the vertices whose fractional part alone has no rounding.
// Nothing when no such completion exists. Face bounds: type t between type_lo[t] and type_hi[t],
// row i between row_lo[i] and row_hi[i] (integers).
std::optional<TypePanel> complete_rounding(const std::vector<double>& x, const std::vector<double>& w,
                                           const std::vector<PanelModel::Row>& rows,
                                           const std::vector<double>& type_lo, const std::vector<double>& type_hi,
                                           const std::vector<double>& row_lo, const std::vector<double>& row_hi,
                                           size_t widen) {
  const size_t T = w.size();
  TypePanel v(T, 0);
  std::vector<char> free(T, 0);
  std::vector<std::pair<double, size_t>> outside;
  for (size_t t = 0; t < T; ++t) {
    const double r = std::round(x[t]);
    v[t] = static_cast<int>(r);
    if (std::abs(x[t] - r) > 1e-9) free[t] = 1;
    else if (widen > 0 && type_lo[t] < type_hi[t]) {
      if (r > 0) free[t] = 1;
      else outside.push_back({w[t], t});
    }
  }
  const size_t take = std::min(widen, outside.size());
  std::partial_sort(outside.begin(), outside.begin() + static_cast<long>(take), outside.end(), std::greater<>());
  for (size_t i = 0; i < take; ++i) free[outside[i].second] = 1;
  std::vector<int> var(T, -1);
  auto ip = make_coin_model();
  for (size_t t = 0; t < T; ++t)
    if (free[t]) var[t] = ip->add_variable(type_lo[t], type_hi[t], -w[t], /*integer=*/true);
  std::vector<int> vars;
  for (size_t i = 0; i < rows.size(); ++i) {
    vars.clear();
    double fixed = 0;
    for (int t : rows[i].types) {
      if (var[static_cast<size_t>(t)] >= 0) vars.push_back(var[static_cast<size_t>(t)]);
      else fixed += v[static_cast<size_t>(t)];
    }
    if (vars.empty()) {
      if (fixed < row_lo[i] - 0.5 || fixed > row_hi[i] + 0.5) return std::nullopt;
      continue;
    }
    ip->add_constraint(vars, std::vector<double>(vars.size(), 1.0), row_lo[i] - fixed, row_hi[i] - fixed);
  }
  ip->set_mip_cutoff(kLpInfinity, /*stop_at_first=*/true);
  // A completion is found in a few nodes when there is one; proving there is none can take
  // minutes (it did on 10 000 volunteers), and then the next way to a panel is better value.
  ip->set_mip_node_limit(kRoundingNodes);
  if (ip->solve() != LpStatus::kOptimal) return std::nullopt;
  const auto y = ip->values();
  for (size_t t = 0; t < T; ++t)
    if (var[t] >= 0) v[t] = static_cast<int>(std::lround(y[static_cast<size_t>(var[t])]));
  return v;
}

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
                          const std::function<void(const Caratheodory&)>& report) {
  // A bound whose slack is below this fraction of the mass left is met exactly from then on. It is
  // relative, and far below the LP's tolerance: the step weight makes the binding bounds exact up
  // to rounding, so only those should count. A looser threshold calls bounds exact that r/m
  // still misses by a little, and that little grows as m shrinks until the face is empty.
  constexpr double kTight = 1e-12;
  constexpr size_t kWiden = 50;  // types off the vertex's panel the widened rounding may add
  const size_t T = tm.members.size();
  PanelModel relaxed(problem, tm, /*slack=*/false, /*integer=*/false);
  relaxed.lp->set_resolve_dual(true);
  std::unique_ptr<PanelModel> exact;  // the face as an integer programme, built when first needed
  const auto& rows = relaxed.rows;
  const size_t R = rows.size();
  std::vector<double> cap(T), w(T), type_lo(T), type_hi(T), row_lo(R), row_hi(R), row_r(R);
  Caratheodory out;
  std::vector<double>& r = out.r;
  r.resize(T);
  for (size_t t = 0; t < T; ++t) {
    cap[t] = static_cast<double>(tm.members[t].size());
    r[t] = std::clamp(start[t], 0.0, cap[t]);
    type_lo[t] = 0;
    type_hi[t] = cap[t];
  }
  for (size_t i = 0; i < R; ++i) {
    row_lo[i] = rows[i].lo;
    row_hi[i] = rows[i].hi;
  }
  std::map<TypePanel, size_t> index;
  double m = 1;
  std::vector<char> low(T, 0), high(T, 0), row_low(R, 0), row_high(R, 0);
  // Marks the bounds r/m meets (exactly, or within kTight) and restricts the LP to that face. A
  // type's residual is snapped to its bound, so that it stays exact as the mass shrinks.
  auto restrict_to_face = [&] {
    const double tight = kTight * m;
    for (size_t t = 0; t < T; ++t) {
      if (!low[t] && !high[t]) {
        if (r[t] <= tight * cap[t]) {
          low[t] = 1;
          type_hi[t] = 0;
        } else if (cap[t] * m - r[t] <= tight * cap[t]) {
          high[t] = 1;
          type_lo[t] = cap[t];
        } else {
          continue;
        }
        relaxed.lp->set_bounds(static_cast<int>(t), type_lo[t], type_hi[t]);
      }
      if (low[t]) r[t] = 0;
      else if (high[t]) r[t] = cap[t] * m;
    }
    for (size_t i = 0; i < R; ++i) {
      double g = 0;
      for (int t : rows[i].types) g += r[static_cast<size_t>(t)];
      row_r[i] = g;
      if (row_low[i] || row_high[i]) continue;
      const double scale = std::max(1.0, rows[i].hi);
      if (g - rows[i].lo * m <= tight * scale) {
        row_low[i] = 1;
        row_hi[i] = rows[i].lo;
      } else if (rows[i].hi * m - g <= tight * scale) {
        row_high[i] = 1;
        row_lo[i] = rows[i].hi;
      } else {
        continue;
      }
      relaxed.lp->set_row_bounds(static_cast<int>(i), row_lo[i], row_hi[i]);
    }
  };
  const size_t max_steps = 2 * (T + R) + 16;
  for (size_t step = 0; step < max_steps; ++step) {
    restrict_to_face();
    out.residual = 0;
    for (size_t t = 0; t < T; ++t) out.residual = std::max(out.residual, r[t] / cap[t]);
    out.mass_left = m;
    if (out.residual <= stop_residual) break;
    if (out_of_time()) {
      out.out_of_time = true;
      break;
    }
    for (size_t t = 0; t < T; ++t) {
      w[t] = r[t] / (m * cap[t]);
      relaxed.lp->set_cost(static_cast<int>(t), -w[t]);
    }
    if (relaxed.lp->solve() != LpStatus::kOptimal) {
      out.stalled = true;
      break;
    }
    const auto x = relaxed.lp->values();
    std::optional<TypePanel> v = integral_panel(x, T);
    if (!v) {
      ++out.roundings;
      v = complete_rounding(x, w, rows, type_lo, type_hi, row_lo, row_hi, 0);
      if (!v) v = complete_rounding(x, w, rows, type_lo, type_hi, row_lo, row_hi, kWiden);
    }
    if (!v) {
      // Any integer panel on the face will do: the first CBC finds is taken.
      ++out.mip_calls;
      if (!exact) exact = std::make_unique<PanelModel>(problem, tm);
      for (size_t t = 0; t < T; ++t) {
        exact->lp->set_bounds(static_cast<int>(t), type_lo[t], type_hi[t]);
        exact->lp->set_cost(static_cast<int>(t), -w[t]);
      }
      for (size_t i = 0; i < R; ++i) exact->lp->set_row_bounds(static_cast<int>(i), row_lo[i], row_hi[i]);
      exact->lp->set_mip_cutoff(kLpInfinity, /*stop_at_first=*/true);
      exact->lp->set_mip_node_limit(kFaceNodes);
      if (exact->lp->solve() != LpStatus::kOptimal) {
        out.stalled = true;
        break;
      }
      const auto xi = exact->lp->values();
      v = TypePanel(T);
      for (size_t t = 0; t < T; ++t) (*v)[t] = static_cast<int>(std::lround(xi[t]));
    }
    // The largest weight keeping the residual in the relaxation; bounds met exactly are met by v too.
    double a = m;
    for (size_t t = 0; t < T; ++t) {
      const int vt = (*v)[t];
      if (!low[t] && vt > 0) a = std::min(a, r[t] / vt);
      if (!high[t] && vt < cap[t]) a = std::min(a, (cap[t] * m - r[t]) / (cap[t] - vt));
    }
    for (size_t i = 0; i < R; ++i) {
      double g = 0;
      for (int t : rows[i].types) g += (*v)[static_cast<size_t>(t)];
      if (!row_low[i] && g > rows[i].lo) a = std::min(a, (row_r[i] - rows[i].lo * m) / (g - rows[i].lo));
      if (!row_high[i] && g < rows[i].hi) a = std::min(a, (rows[i].hi * m - row_r[i]) / (rows[i].hi - g));
    }
    if (!(a > 0)) {
      out.stalled = true;
      break;
    }
    for (size_t t = 0; t < T; ++t) r[t] = std::max(0.0, r[t] - a * (*v)[t]);
    m -= a;
    ++out.steps;
    auto [it, fresh] = index.emplace(*v, out.panels.size());
    if (fresh) {
      out.panels.push_back(std::move(*v));
      out.weights.push_back(a);
    } else {
      out.weights[it->second] += a;
    }
    out.mass_left = m;
    report(out);
  }
  out.mass_left = std::max(0.0, m);
  return out;
}

// A panel as a column of a restricted LP over panels: 1 in the convexity row and, for each type
// on it, its share x_t / count_t of the type's people in the type's row.
void add_panel_column(LpModel& lp, int conv_row, const std::vector<int>& type_row, const std::vector<double>& count,
                      const TypePanel& p) {
  std::vector<int> rows{conv_row};
  std::vector<double> vals{1.0};
  for (size_t t = 0; t < p.size(); ++t)
    if (p[t] > 0) {
      rows.push_back(type_row[t]);
      vals.push_back(p[t] / count[t]);
    }
  lp.add_column(0, kLpInfinity, 0.0, rows, vals);
}

// The distribution's support, panel weights (normalised to sum 1) and per-person probabilities
// from LP values p (one per panel; further entries are ignored, missing ones count as 0).
void set_support(PanelDistribution& dist, const std::vector<TypePanel>& panels, const std::vector<double>& p,
                 size_t people) {
  const TypeModel& tm = dist.types;
  dist.panels.clear();
  dist.weights.clear();
  const size_t J = std::min(panels.size(), p.size());
  double total = 0;
  for (size_t j = 0; j < J; ++j)
    if (p[j] > 1e-12) total += p[j];
  for (size_t j = 0; j < J; ++j)
    if (p[j] > 1e-12) {
      dist.panels.push_back(panels[j]);
      dist.weights.push_back(p[j] / total);
    }
  dist.probabilities.assign(people, 0.0);
  for (size_t j = 0; j < dist.panels.size(); ++j)
    for (size_t t = 0; t < tm.members.size(); ++t)
      if (dist.panels[j][t] > 0) {
        double share = dist.weights[j] * dist.panels[j][t] / static_cast<double>(tm.members[t].size());
        for (int person : tm.members[t]) dist.probabilities[static_cast<size_t>(person)] += share;
      }
}

// The certificate's levels from the result's probabilities: type t belongs to level level_of[t]
// (< 0: none) whose bound is bound[t]. With `open_last`, the last level is still being computed.
void certify(PanelDistribution& dist, const std::vector<double>& bound, const std::vector<int>& level_of, int levels,
             bool open_last, double dual_bound) {
  LeximinCertificate& c = dist.certificate;
  const TypeModel& tm = dist.types;
  c.levels.assign(static_cast<size_t>(std::max(0, levels)), LeximinLevel{});
  std::vector<char> seen(c.levels.size(), 0);
  for (size_t t = 0; t < tm.members.size(); ++t) {
    if (level_of[t] < 0) continue;
    const size_t j = static_cast<size_t>(level_of[t]);
    const double p = dist.probabilities.empty() ? 0.0 : dist.probabilities[static_cast<size_t>(tm.members[t][0])];
    LeximinLevel& level = c.levels[j];
    level.bound = seen[j] ? std::max(level.bound, bound[t]) : bound[t];
    level.achieved = seen[j] ? std::min(level.achieved, p) : p;
    level.people += tm.members[t].size();
    seen[j] = 1;
  }
  if (open_last && !c.levels.empty()) c.levels.back().open = true;
  c.levels_total = levels;
  c.levels_certified = 0;
  c.max_shortfall = 0;
  bool prefix = true;
  for (const auto& level : c.levels) {
    c.max_shortfall = std::max(c.max_shortfall, level.bound - level.achieved);
    prefix = prefix && !level.open && level.bound - level.achieved <= c.tolerance;
    if (prefix) ++c.levels_certified;
  }
  c.dual_bound = dual_bound;
  c.certified = !open_last && levels > 0 && c.levels_certified == levels;
}

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

namespace {

// The column-generation LEXIMIN over panels (levels of a restricted LP plus integer pricing). It
// is exact on every instance; `seed` panels (quota-feasible, e.g. from a failed decomposition) are
// added to the restricted LP after the warm start.
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

}  // namespace

Result<PanelDistribution> leximin(const SelectionProblem& problem, const LeximinOptions& options) {
  PanelDistribution dist;
  dist.types = build_types(problem);
  const size_t n = problem.people.size();
  if (problem.k <= 0 || static_cast<size_t>(problem.k) > n) {
    return Error{ErrorCode::kInfeasible, "size", "panel size " + std::to_string(problem.k) +
                 " is not between 1 and the " + std::to_string(n) + " available people"};
  }
  const Clock clock(options.max_seconds, options.stop);
  std::vector<TypePanel> seed;
  if (options.relaxation_first) {
    auto done = relaxation_then_decompose(problem, options, dist, seed, clock);
    if (!done) return done.error();
    if (*done) return dist;
  }
  return column_generation_leximin(problem, options, std::move(dist), seed, clock);
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

}  // namespace townhall::panel
