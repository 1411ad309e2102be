#include "townhall/analysis/representativeness.h"

#include <cmath>
#include <limits>
#include <string>

namespace townhall::analysis {

namespace {

// Regularised lower incomplete gamma P(a, x) (series for x < a + 1, continued fraction otherwise;
// Numerical Recipes §6.2), accurate to ~1e-14.
double gamma_p(double a, double x) {
  if (x <= 0) return 0;
  const double gln = std::lgamma(a);
  if (x < a + 1) {
    double ap = a, sum = 1 / a, del = sum;
    for (int n = 0; n < 1000; ++n) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (std::abs(del) < std::abs(sum) * 1e-16) break;
    }
    return sum * std::exp(-x + a * std::log(x) - gln);
  }
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 1000; ++i) {
    double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (std::abs(del - 1) < 1e-16) break;
  }
  return 1 - std::exp(-x + a * std::log(x) - gln) * h;
}

}  // namespace

double chi_square_upper_tail(double x, int df) {
  if (df <= 0) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0) return 1;
  return 1 - gamma_p(df / 2.0, x / 2.0);
}

Result<RepresentativenessReport> representativeness(std::span<const int32_t> codes,
                                                    std::span<const double> targets,
                                                    std::span<const double> weights,
                                                    const RepresentativenessOptions& options) {
  if (targets.empty()) return invalid_argument("targets", "no target categories");
  double tsum = 0;
  for (size_t c = 0; c < targets.size(); ++c) {
    if (!std::isfinite(targets[c]) || targets[c] < 0)
      return invalid_argument("targets[" + std::to_string(c) + "]", "must be a finite number ≥ 0");
    tsum += targets[c];
  }
  if (!(tsum > 0)) return invalid_argument("targets", "targets sum to zero");
  if (!weights.empty() && weights.size() != codes.size())
    return invalid_argument("weights", "has " + std::to_string(weights.size()) + " entries for " +
                                           std::to_string(codes.size()) + " respondents");
  const auto k = static_cast<int32_t>(targets.size());
  RepresentativenessReport r;
  r.categories.resize(targets.size());
  std::vector<double> wsum(targets.size(), 0.0);
  double wtotal = 0;
  for (size_t i = 0; i < codes.size(); ++i) {
    int32_t c = codes[i];
    if (c < 0) continue;
    if (c >= k)
      return invalid_argument("codes[" + std::to_string(i) + "]",
                              "category code " + std::to_string(c) + " has no target");
    double w = weights.empty() ? 1.0 : weights[i];
    if (!std::isfinite(w) || w < 0)
      return invalid_argument("weights[" + std::to_string(i) + "]", "must be a finite number ≥ 0");
    ++r.categories[c].count;
    ++r.n;
    wsum[c] += w;
    wtotal += w;
  }
  if (r.n == 0 || !(wtotal > 0)) return invalid_argument("codes", "no respondents with a category");
  const double n = static_cast<double>(r.n);
  bool impossible = false;
  int positive = 0;
  for (size_t c = 0; c < targets.size(); ++c) {
    CategoryFit& f = r.categories[c];
    f.target_share = targets[c] / tsum;
    f.sample_share = wsum[c] / wtotal;
    f.expected = n * f.target_share;
    f.ratio = f.target_share > 0 ? f.sample_share / f.target_share
                                 : std::numeric_limits<double>::quiet_NaN();
    f.under_represented = f.target_share > 0 && f.ratio < options.under_ratio &&
                          f.expected >= options.min_expected;
    r.dissimilarity += 0.5 * std::abs(f.sample_share - f.target_share);
    if (f.target_share > 0) {
      ++positive;
      double d = static_cast<double>(f.count) - f.expected;
      r.chi_square += d * d / f.expected;
    } else if (f.count > 0) {
      impossible = true;
    }
  }
  r.degrees_of_freedom = positive - 1;
  if (impossible) {
    r.chi_square = std::numeric_limits<double>::infinity();
    r.p_value = 0;
  } else {
    r.p_value = r.degrees_of_freedom > 0 ? chi_square_upper_tail(r.chi_square, r.degrees_of_freedom)
                                         : 1.0;
  }
  return r;
}

}  // namespace townhall::analysis
