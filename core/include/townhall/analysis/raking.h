// townhall/analysis/raking.h — raking (iterative proportional fitting) of respondent weights.
//
// Raking adjusts each respondent's weight so that the weighted distribution of every margin
// (one categorical variable, e.g. tenure) matches its target shares, one margin at a time, until
// every margin is within tolerance. Trimming keeps each weight within [trim_min, trim_max] times
// the mean weight after every full cycle (clamped weights' excess or shortfall is spread over the
// others so the total is kept, then the next cycle re-rakes), so a trimmed solution may not meet
// the targets exactly: the report says how close it got. The Kish effective sample size
// (Σw)² / Σw² measures the precision lost to unequal weights.
//
// Inputs are arrays of category codes (0..k−1 per margin; one int32 per respondent), so callers
// such as the Python bindings pass numpy buffers without per-cell objects.
// Thread-safety: pure function over caller-owned buffers; safe to call concurrently.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "townhall/error.h"

namespace townhall::analysis {

struct RakingMargin {
  std::string name;                  // variable name, used in error fields ("tenure")
  std::span<const int32_t> codes;    // one category code per respondent, 0 ≤ code < targets.size()
  std::vector<double> targets;       // target per category: shares or counts (normalised to shares)
  std::vector<std::string> labels;   // optional category labels for messages; may be empty
};

struct RakingOptions {
  int max_iterations = 100;          // full cycles over all margins
  double tolerance = 1e-6;           // max |achieved share − target share| to stop
  double trim_min = 0.0;             // lower bound as a multiple of the mean weight (0: none)
  double trim_max = std::numeric_limits<double>::infinity();  // upper bound, multiple of mean
  // Total of the final weights. ≤ 0 keeps the total of the base weights (n when unweighted).
  double total = 0.0;
};

struct MarginFit {
  std::string name;
  std::vector<double> target_share;
  std::vector<double> achieved_share;  // weighted share after the final cycle
  double max_error = 0.0;              // max |achieved − target| over categories
};

struct RakingResult {
  std::vector<double> weights;        // one per respondent, in input order
  int iterations = 0;                 // full cycles performed
  double max_margin_error = 0.0;      // worst margin's max_error after the last cycle
  bool converged = false;             // max_margin_error ≤ tolerance
  double effective_sample_size = 0;   // Kish: (Σw)² / Σw²
  double design_effect = 0;           // n / n_eff
  double weight_min = 0, weight_max = 0;
  size_t trimmed = 0;                 // respondents whose weight sits at a trimming bound
  std::vector<MarginFit> margins;
};

// Rakes `n` respondents (every margin's codes must have n entries) starting from `base_weights`
// (empty: all 1). Errors: a code out of range (field "<margin>[row]"), a negative or non-finite
// target or base weight, a category with a positive target but no respondents (kInfeasible), bad
// options.
Result<RakingResult> rake(std::span<const RakingMargin> margins, size_t n,
                          std::span<const double> base_weights = {},
                          const RakingOptions& options = {});

// Kish effective sample size (Σw)² / Σw²; 0 for an empty or all-zero vector.
double kish_effective_sample_size(std::span<const double> weights);

}  // namespace townhall::analysis
