#include "townhall/analysis/raking.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace townhall::analysis {

namespace {

std::string category_name(const RakingMargin& m, size_t c) {
  if (c < m.labels.size()) return "'" + m.labels[c] + "'";
  return "category " + std::to_string(c);
}

// Clamps weights into [lo, hi] and spreads the difference over the weights strictly inside the
// bounds so the total stays `total`; repeats while the rescaling pushes weights past a bound.
void trim_weights(std::vector<double>& w, double lo, double hi, double total) {
  for (int rep = 0; rep < 100; ++rep) {
    double fixed = 0, free = 0;
    for (double& v : w) {
      if (v <= lo) {
        v = lo;
        fixed += v;
      } else if (v >= hi) {
        v = hi;
        fixed += v;
      } else {
        free += v;
      }
    }
    if (!(free > 0) || !(total > fixed)) return;
    const double scale = (total - fixed) / free;
    if (std::abs(scale - 1) < 1e-12) return;
    for (double& v : w)
      if (v > lo && v < hi) v *= scale;
  }
}

}  // namespace

double kish_effective_sample_size(std::span<const double> weights) {
  double s = 0, s2 = 0;
  for (double w : weights) {
    s += w;
    s2 += w * w;
  }
  return s2 > 0 ? s * s / s2 : 0.0;
}

Result<RakingResult> rake(std::span<const RakingMargin> margins, size_t n,
                          std::span<const double> base_weights, const RakingOptions& options) {
  if (margins.empty()) return invalid_argument("margins", "at least one margin is needed");
  if (n == 0) return invalid_argument("data", "no respondents to weight");
  if (options.max_iterations < 1)
    return invalid_argument("max_iterations", "must be at least 1");
  if (!(options.tolerance > 0) || !std::isfinite(options.tolerance))
    return invalid_argument("tolerance", "must be a positive number");
  if (!(options.trim_min >= 0) || !(options.trim_min <= 1))
    return invalid_argument("trim_min", "must be between 0 and 1 (a multiple of the mean weight)");
  if (!(options.trim_max >= 1))
    return invalid_argument("trim_max", "must be at least 1 (a multiple of the mean weight)");
  if (!std::isfinite(options.total) && !std::isnan(options.total))
    return invalid_argument("total", "must be finite");
  if (!base_weights.empty() && base_weights.size() != n)
    return invalid_argument("base_weights", "has " + std::to_string(base_weights.size()) +
                                                " entries for " + std::to_string(n) + " respondents");

  const size_t M = margins.size();
  std::vector<std::vector<double>> target(M);
  std::vector<std::vector<double>> sums(M);

  // Validate targets.
  for (size_t m = 0; m < M; ++m) {
    const RakingMargin& mg = margins[m];
    if (mg.codes.size() != n)
      return invalid_argument(mg.name, "has " + std::to_string(mg.codes.size()) + " codes for " +
                                           std::to_string(n) + " respondents");
    if (mg.targets.empty()) return invalid_argument(mg.name, "has no target categories");
    double tsum = 0;
    for (size_t c = 0; c < mg.targets.size(); ++c) {
      double t = mg.targets[c];
      if (!std::isfinite(t) || t < 0)
        return invalid_argument(mg.name + "/" + category_name(mg, c),
                                "target must be a finite number ≥ 0");
      tsum += t;
    }
    if (!(tsum > 0)) return invalid_argument(mg.name, "targets sum to zero");
    target[m].resize(mg.targets.size());
    for (size_t c = 0; c < mg.targets.size(); ++c) target[m][c] = mg.targets[c] / tsum;
    sums[m].assign(mg.targets.size(), 0.0);
  }

  // Base weights and their total.
  RakingResult out;
  out.weights.resize(n);
  std::vector<double>& w = out.weights;
  double base_total = 0;
  for (size_t i = 0; i < n; ++i) {
    double b = base_weights.empty() ? 1.0 : base_weights[i];
    if (!std::isfinite(b) || b < 0)
      return invalid_argument("base_weights[" + std::to_string(i) + "]",
                              "must be a finite number ≥ 0");
    w[i] = b;
    base_total += b;
  }
  if (!(base_total > 0)) return invalid_argument("base_weights", "all base weights are zero");
  const double total = options.total > 0 ? options.total : base_total;

  // Validate codes and take the base sums per category in one pass per margin.
  for (size_t m = 0; m < M; ++m) {
    const RakingMargin& mg = margins[m];
    const auto k = static_cast<int32_t>(target[m].size());
    double* s = sums[m].data();
    for (size_t i = 0; i < n; ++i) {
      int32_t c = mg.codes[i];
      if (c < 0 || c >= k)
        return invalid_argument(mg.name + "[" + std::to_string(i) + "]",
                                c < 0 ? std::string("is missing (every respondent needs a category)")
                                      : "category code " + std::to_string(c) + " has no target");
      s[c] += w[i];
    }
    for (size_t c = 0; c < target[m].size(); ++c)
      if (target[m][c] > 0 && !(sums[m][c] > 0))
        return Error{ErrorCode::kInfeasible, mg.name + "/" + category_name(mg, c),
                     "has a positive target but no respondents to carry it"};
  }

  const bool trimming = options.trim_min > 0 || std::isfinite(options.trim_max);
  const double mean = total / static_cast<double>(n);
  const double lo = options.trim_min * mean;
  const double hi = std::isfinite(options.trim_max) ? options.trim_max * mean
                                                    : std::numeric_limits<double>::infinity();

  std::vector<std::vector<double>> factor(M);
  auto make_factors = [&](size_t m) -> Status {
    factor[m].resize(target[m].size());
    for (size_t c = 0; c < target[m].size(); ++c) {
      if (target[m][c] == 0) {
        factor[m][c] = 0;
      } else if (!(sums[m][c] > 0)) {
        return Error{ErrorCode::kInfeasible, margins[m].name + "/" + category_name(margins[m], c),
                     "no weight is left in this category (other margins' zero targets remove "
                     "all its respondents)"};
      } else {
        factor[m][c] = target[m][c] * total / sums[m][c];
      }
    }
    return Status::Ok();
  };

  double max_err = 0;
  int iter = 0;
  for (iter = 1; iter <= options.max_iterations; ++iter) {
    // sums[0] is current here (from validation or from the previous cycle's check pass).
    for (size_t m = 0; m < M; ++m) {
      if (auto st = make_factors(m); !st) return st.error();
      const double* f = factor[m].data();
      const int32_t* codes = margins[m].codes.data();
      if (m + 1 < M) {
        // Apply this margin and accumulate the next margin's sums in the same pass.
        std::fill(sums[m + 1].begin(), sums[m + 1].end(), 0.0);
        double* s = sums[m + 1].data();
        const int32_t* next = margins[m + 1].codes.data();
        for (size_t i = 0; i < n; ++i) {
          w[i] *= f[codes[i]];
          s[next[i]] += w[i];
        }
      } else {
        // Last margin: apply, trim, and take every margin's sums for the convergence check.
        if (trimming) {
          for (size_t i = 0; i < n; ++i) w[i] *= f[codes[i]];
          trim_weights(w, lo, hi, total);
        }
        for (auto& s : sums) std::fill(s.begin(), s.end(), 0.0);
        for (size_t i = 0; i < n; ++i) {
          if (!trimming) w[i] *= f[codes[i]];
          const double v = w[i];
          for (size_t k = 0; k < M; ++k) sums[k][margins[k].codes[i]] += v;
        }
      }
    }
    double current_total = std::accumulate(sums[0].begin(), sums[0].end(), 0.0);
    max_err = 0;
    for (size_t m = 0; m < M; ++m)
      for (size_t c = 0; c < target[m].size(); ++c)
        max_err = std::max(max_err, std::abs(sums[m][c] / current_total - target[m][c]));
    if (max_err <= options.tolerance) break;
  }

  out.iterations = std::min(iter, options.max_iterations);
  out.max_margin_error = max_err;
  out.converged = max_err <= options.tolerance;
  out.effective_sample_size = kish_effective_sample_size(w);
  out.design_effect = out.effective_sample_size > 0
                          ? static_cast<double>(n) / out.effective_sample_size
                          : std::numeric_limits<double>::infinity();
  auto [mn, mx] = std::minmax_element(w.begin(), w.end());
  out.weight_min = *mn;
  out.weight_max = *mx;
  if (trimming) {
      for (double v : w)
      if ((lo > 0 && v <= lo) || v >= hi) ++out.trimmed;
  }
  double current_total = std::accumulate(sums[0].begin(), sums[0].end(), 0.0);
  for (size_t m = 0; m < M; ++m) {
    MarginFit fit;
    fit.name = margins[m].name;
    fit.target_share = target[m];
    fit.achieved_share.resize(target[m].size());
    for (size_t c = 0; c < target[m].size(); ++c) {
      fit.achieved_share[c] = sums[m][c] / current_total;
      fit.max_error = std::max(fit.max_error, std::abs(fit.achieved_share[c] - target[m][c]));
    }
    out.margins.push_back(std::move(fit));
  }
  return out;
}

}  // namespace townhall::analysis
