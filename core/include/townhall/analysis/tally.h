// townhall/analysis/tally.h — weighted tallies and cross-tabulations with confidence intervals.
//
// A tally counts the (weighted) answers of one categorical question; a cross-tabulation does so
// within each group of a second variable (row = group, column = answer), giving each answer's
// share of its group. Intervals treat the weighted share as a proportion from a sample of the
// Kish effective size n_eff = (Σw)² / Σw² of the respondents who answered (in that group), so
// unequal weights widen them. Methods: Wilson score (default) or normal (Wald), both with n_eff.
// Cells whose unweighted count is at least 1 and below `suppress_below` are suppressed, and then
// as many further cells (rarely a total) as it takes so that none of them can be worked out from
// the totals shown (secondary suppression, townhall/analysis/disclosure.h). Values are kept for
// the caller's own use but flagged; the bindings blank them.
// Missing answers are code −1 and are left out.
// Thread-safety: pure functions over caller-owned buffers.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "townhall/error.h"

namespace townhall::analysis {

enum class IntervalMethod { kWilson, kNormal };

const char* interval_method_id(IntervalMethod m);  // "wilson" | "normal"
Result<IntervalMethod> parse_interval_method(std::string_view text, std::string_view field = "method");

struct TallyOptions {
  double confidence = 0.95;          // two-sided level, 0 < confidence < 1
  IntervalMethod method = IntervalMethod::kWilson;
  int64_t suppress_below = 0;        // suppress cells with 1 ≤ unweighted count < this
};

struct TallyCell {
  int64_t count = 0;         // unweighted respondents
  double weighted = 0;       // Σ weights
  double share = 0;          // weighted / group's weighted total (NaN when the group is empty)
  double ci_low = 0, ci_high = 0;
  bool suppressed = false;   // small, or hidden so that a small cell cannot be worked out
};

// One group (the whole sample for a tally) with its cells per answer category.
struct TallyGroup {
  int64_t count = 0;         // unweighted respondents who answered
  double weighted = 0;
  double effective_n = 0;    // Kish n_eff within the group
  // The group's totals (count, weighted, effective_n) must not be shown, nor its cells' shares
  // and intervals (a share and its weighted sum give the total back).
  bool total_suppressed = false;
  std::vector<TallyCell> cells;
};

// Cross-tabulation: groups[g].cells[c] for group code g and answer code c. `totals` is the
// answer over all groups (its cells the column totals, its count the grand total), part of what
// the table shows and suppressed with it.
struct CrossTab {
  double z = 0;              // normal quantile used for the intervals
  std::vector<TallyGroup> groups;
  TallyGroup totals;
};

// Standard normal quantile for a two-sided confidence level (0.95 → 1.959964…).
double normal_quantile_two_sided(double confidence);

// Interval for share p with effective size n_eff.
void proportion_interval(double p, double n_eff, double z, IntervalMethod method, double& low,
                         double& high);

// Weighted tally of `codes` (0..categories−1, −1 missing). `weights` empty means all 1.
Result<TallyGroup> weighted_tally(std::span<const int32_t> codes, int32_t categories,
                                  std::span<const double> weights, const TallyOptions& options,
                                  double* z_out = nullptr);

// Cross-tabulation of answers within groups; respondents missing either code are left out.
Result<CrossTab> crosstab(std::span<const int32_t> group_codes, int32_t groups,
                          std::span<const int32_t> answer_codes, int32_t categories,
                          std::span<const double> weights, const TallyOptions& options);

}  // namespace townhall::analysis
