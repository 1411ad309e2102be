// townhall/analysis/representativeness.h — how far a sample is from its target population.
//
// For one categorical variable (e.g. tenure), compares the sample's share of each category with
// the target share (census), as docs/design.md §2.6 asks: the ratio sample/target, a flag when the
// ratio is under a threshold (0.8) and the expected count is at least `min_expected` (5), the
// index of dissimilarity ½ Σ|sample − target| (the share of the sample that would have to move
// category to match), and Pearson's chi-square goodness of fit on the unweighted counts with its
// p-value. Shares use the weights when given (to show the fit after weighting); the chi-square
// always uses unweighted counts, as the test requires. "Prefer not to say" is just a category.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "townhall/error.h"

namespace townhall::analysis {

struct RepresentativenessOptions {
  double under_ratio = 0.8;   // flag categories whose sample/target ratio is below this…
  double min_expected = 5;    // …when the expected count n × target share is at least this
};

struct CategoryFit {
  int64_t count = 0;          // unweighted respondents
  double sample_share = 0;    // weighted when weights are given
  double target_share = 0;    // normalised target
  double expected = 0;        // unweighted n × target share
  double ratio = 0;           // sample_share / target_share (NaN when the target is 0)
  bool under_represented = false;
};

struct RepresentativenessReport {
  int64_t n = 0;                 // respondents with a category (missing codes left out)
  std::vector<CategoryFit> categories;
  double dissimilarity = 0;      // ½ Σ |sample_share − target_share|, 0..1
  double chi_square = 0;         // Σ (count − expected)² / expected over targets > 0
  int degrees_of_freedom = 0;    // categories with a positive target − 1
  double p_value = 1;            // P(χ²_df ≥ chi_square); 0 when a zero-target category has respondents
};

// Upper tail of the chi-square distribution, P(X ≥ x) for `df` degrees of freedom.
double chi_square_upper_tail(double x, int df);

// `codes` 0..targets.size()−1 per respondent, −1 missing; `weights` empty = unweighted.
Result<RepresentativenessReport> representativeness(std::span<const int32_t> codes,
                                                    std::span<const double> targets,
                                                    std::span<const double> weights = {},
                                                    const RepresentativenessOptions& options = {});

}  // namespace townhall::analysis
