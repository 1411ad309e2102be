#include "townhall/analysis/tally.h"

#include "townhall/analysis/disclosure.h"

#include <cmath>
#include <limits>
#include <string>

namespace townhall::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Status check_options(const TallyOptions& o) {
  if (!(o.confidence > 0 && o.confidence < 1))
    return invalid_argument("confidence", "must be strictly between 0 and 1, e.g. 0.95");
  if (o.suppress_below < 0) return invalid_argument("suppress_below", "must be ≥ 0");
  return Status::Ok();
}

Status check_weights(std::span<const double> weights, size_t n) {
  if (weights.empty()) return Status::Ok();
  if (weights.size() != n)
    return invalid_argument("weights", "has " + std::to_string(weights.size()) + " entries for " +
                                           std::to_string(n) + " respondents");
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(weights[i]) || weights[i] < 0)
      return invalid_argument("weights[" + std::to_string(i) + "]", "must be a finite number ≥ 0");
  return Status::Ok();
}

// Accumulators for one group.
struct Acc {
  int64_t count = 0;
  double sw = 0, sw2 = 0;
  std::vector<int64_t> cnt;
  std::vector<double> wsum;
};

TallyGroup finish(const Acc& a, double z, const TallyOptions& o) {
  TallyGroup g;
  g.count = a.count;
  g.weighted = a.sw;
  g.effective_n = a.sw2 > 0 ? a.sw * a.sw / a.sw2 : 0.0;
  g.cells.resize(a.cnt.size());
  for (size_t c = 0; c < a.cnt.size(); ++c) {
    TallyCell& cell = g.cells[c];
    cell.count = a.cnt[c];
    cell.weighted = a.wsum[c];
    if (a.sw > 0) {
      cell.share = a.wsum[c] / a.sw;
      proportion_interval(cell.share, g.effective_n, z, o.method, cell.ci_low, cell.ci_high);
    } else {
      cell.share = cell.ci_low = cell.ci_high = kNaN;
    }
  }
  return g;
}

// Blanks nothing itself: flags the cells and totals to hide (see disclosure.h).
SuppressionPattern suppression_of(const std::vector<const TallyGroup*>& rows, bool crosstab,
                                  int64_t threshold) {
  DisclosureTable t;
  t.rows = static_cast<int32_t>(rows.size());
  t.columns = rows.empty() ? 0 : static_cast<int32_t>(rows[0]->cells.size());
  std::vector<int64_t> counts;
  std::vector<double> weighted;
  for (const TallyGroup* g : rows)
    for (const TallyCell& c : g->cells) {
      counts.push_back(c.count);
      weighted.push_back(c.weighted);
    }
  t.counts = counts;
  t.weighted = weighted;
  t.column_totals_shown = crosstab;
  t.grand_total_shown = crosstab;  // a tally's one row total is its grand total
  return suppress_small_cells(t, threshold);
}

}  // namespace

const char* interval_method_id(IntervalMethod m) {
  return m == IntervalMethod::kWilson ? "wilson" : "normal";
}

Result<IntervalMethod> parse_interval_method(std::string_view text, std::string_view field) {
  if (text == "wilson") return IntervalMethod::kWilson;
  if (text == "normal" || text == "wald") return IntervalMethod::kNormal;
  return invalid_argument(std::string(field), "unknown interval method '" + std::string(text) +
                                                  "' (use wilson or normal)");
}

double normal_quantile_two_sided(double confidence) {
  // z with erf(z/√2) = confidence, by bisection (erf is monotone); exact to double precision.
  double lo = 0, hi = 40;
  for (int i = 0; i < 200; ++i) {
    double mid = 0.5 * (lo + hi);
    if (std::erf(mid / std::sqrt(2.0)) < confidence) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

void proportion_interval(double p, double n, double z, IntervalMethod method, double& low,
                         double& high) {
  if (!(n > 0) || std::isnan(p)) {
    low = high = kNaN;
    return;
  }
  if (method == IntervalMethod::kNormal) {
    double half = z * std::sqrt(p * (1 - p) / n);
    low = std::max(0.0, p - half);
    high = std::min(1.0, p + half);
    return;
  }
  double z2 = z * z;
  double denom = 1 + z2 / n;
  double centre = (p + z2 / (2 * n)) / denom;
  double half = z / denom * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  low = std::max(0.0, centre - half);
  high = std::min(1.0, centre + half);
}

Result<TallyGroup> weighted_tally(std::span<const int32_t> codes, int32_t categories,
                                  std::span<const double> weights, const TallyOptions& options,
                                  double* z_out) {
  if (auto st = check_options(options); !st) return st.error();
  if (categories < 1) return invalid_argument("categories", "must be at least 1");
  if (auto st = check_weights(weights, codes.size()); !st) return st.error();
  Acc a;
  a.cnt.assign(static_cast<size_t>(categories), 0);
  a.wsum.assign(static_cast<size_t>(categories), 0.0);
  for (size_t i = 0; i < codes.size(); ++i) {
    int32_t c = codes[i];
    if (c < 0) continue;
    if (c >= categories)
      return invalid_argument("codes[" + std::to_string(i) + "]",
                              "category code " + std::to_string(c) + " out of range");
    double wi = weights.empty() ? 1.0 : weights[i];
    ++a.count;
    a.sw += wi;
    a.sw2 += wi * wi;
    ++a.cnt[c];
    a.wsum[c] += wi;
  }
  double z = normal_quantile_two_sided(options.confidence);
  if (z_out) *z_out = z;
  TallyGroup g = finish(a, z, options);
  SuppressionPattern p = suppression_of({&g}, false, options.suppress_below);
  for (size_t c = 0; c < g.cells.size(); ++c) g.cells[c].suppressed = p.cells[c] != 0;
  g.total_suppressed = p.row_totals[0] != 0;
  return g;
}

Result<CrossTab> crosstab(std::span<const int32_t> group_codes, int32_t groups,
                          std::span<const int32_t> answer_codes, int32_t categories,
                          std::span<const double> weights, const TallyOptions& options) {
  if (auto st = check_options(options); !st) return st.error();
  if (groups < 1) return invalid_argument("groups", "must be at least 1");
  if (categories < 1) return invalid_argument("categories", "must be at least 1");
  if (group_codes.size() != answer_codes.size())
    return invalid_argument("by", "has " + std::to_string(group_codes.size()) +
                                      " rows but the answers have " +
                                      std::to_string(answer_codes.size()));
  if (auto st = check_weights(weights, answer_codes.size()); !st) return st.error();
  std::vector<Acc> acc(static_cast<size_t>(groups));
  for (auto& a : acc) {
    a.cnt.assign(static_cast<size_t>(categories), 0);
    a.wsum.assign(static_cast<size_t>(categories), 0.0);
  }
  for (size_t i = 0; i < answer_codes.size(); ++i) {
    int32_t g = group_codes[i], c = answer_codes[i];
    if (g >= groups)
      return invalid_argument("by[" + std::to_string(i) + "]",
                              "group code " + std::to_string(g) + " out of range");
    if (c >= categories)
      return invalid_argument("codes[" + std::to_string(i) + "]",
                              "category code " + std::to_string(c) + " out of range");
    if (g < 0 || c < 0) continue;
    double wi = weights.empty() ? 1.0 : weights[i];
    Acc& a = acc[static_cast<size_t>(g)];
    ++a.count;
    a.sw += wi;
    a.sw2 += wi * wi;
    ++a.cnt[c];
    a.wsum[c] += wi;
  }
  CrossTab out;
  out.z = normal_quantile_two_sided(options.confidence);
  Acc all;
  all.cnt.assign(static_cast<size_t>(categories), 0);
  all.wsum.assign(static_cast<size_t>(categories), 0.0);
  for (const auto& a : acc) {
    out.groups.push_back(finish(a, out.z, options));
    all.count += a.count;
    all.sw += a.sw;
    all.sw2 += a.sw2;
    for (size_t c = 0; c < a.cnt.size(); ++c) {
      all.cnt[c] += a.cnt[c];
      all.wsum[c] += a.wsum[c];
    }
  }
  out.totals = finish(all, out.z, options);
  std::vector<const TallyGroup*> rows;
  for (const auto& g : out.groups) rows.push_back(&g);
  SuppressionPattern p = suppression_of(rows, true, options.suppress_below);
  const size_t C = static_cast<size_t>(categories);
  for (size_t g = 0; g < out.groups.size(); ++g) {
    for (size_t c = 0; c < C; ++c) out.groups[g].cells[c].suppressed = p.cells[g * C + c] != 0;
    out.groups[g].total_suppressed = p.row_totals[g] != 0;
  }
  for (size_t c = 0; c < C; ++c) out.totals.cells[c].suppressed = p.column_totals[c] != 0;
  out.totals.total_suppressed = p.grand_total;
  return out;
}

}  // namespace townhall::analysis
