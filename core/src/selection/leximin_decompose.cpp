#include "leximin_internal.h"

namespace townhall::selection::leximin_internal {

namespace {

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

}  // namespace

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

}  // namespace townhall::selection::leximin_internal
