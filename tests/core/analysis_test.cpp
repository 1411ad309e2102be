// Raking, tallies and representativeness in the core, against values worked by hand (the same
// examples as tests/python/, where the arithmetic is written out).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/analysis/campaigns.h"
#include "townhall/analysis/disclosure.h"
#include "townhall/analysis/raking.h"
#include "townhall/analysis/representativeness.h"
#include "townhall/analysis/tally.h"

using namespace townhall;
using namespace townhall::analysis;

namespace {

// sex: M M M F F; age: young young old young old.
const std::vector<int32_t> kSex = {0, 0, 0, 1, 1};
const std::vector<int32_t> kAge = {0, 0, 1, 0, 1};

std::vector<RakingMargin> margins() {
  return {RakingMargin{"sex", kSex, {0.5, 0.5}, {"M", "F"}},
          RakingMargin{"age", kAge, {0.5, 0.5}, {"young", "old"}}};
}

}  // namespace

TEST(Raking, FirstCycleByHand) {
  RakingOptions o;
  o.max_iterations = 1;
  auto ms = margins();
  auto r = rake(ms, 5, {}, o);
  ASSERT_TRUE(r.ok());
  // Sex step: M × 2.5/3, F × 1.25; age step: young × 0.857143, old × 1.2.
  const double want[] = {5.0 / 7, 5.0 / 7, 1.0, 15.0 / 14, 1.5};
  for (size_t i = 0; i < 5; ++i) EXPECT_NEAR(r->weights[i], want[i], 1e-12);
  EXPECT_FALSE(r->converged);
  EXPECT_NEAR(r->max_margin_error, 0.5 - 17.0 / 35, 1e-12);
}

TEST(Raking, ConvergesToOddsRatioSolution) {
  RakingOptions o;
  o.tolerance = 1e-12;
  o.max_iterations = 1000;
  auto ms = margins();
  auto r = rake(ms, 5, {}, o);
  ASSERT_TRUE(r.ok());
  const double a = 2.5 * std::sqrt(2.0) / (1 + std::sqrt(2.0));  // odds ratio 2 kept
  const double want[] = {a / 2, a / 2, 2.5 - a, 2.5 - a, a};
  for (size_t i = 0; i < 5; ++i) EXPECT_NEAR(r->weights[i], want[i], 1e-9);
  EXPECT_TRUE(r->converged);
}

TEST(Raking, ErrorsNameTheField) {
  std::vector<int32_t> bad = {0, 0, 2, 1, 1};
  std::vector<RakingMargin> ms = {RakingMargin{"sex", bad, {0.5, 0.5}, {}}};
  auto r = rake(ms, 5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, "sex[2]");
  std::vector<RakingMargin> empty_cat = {RakingMargin{"sex", kSex, {0.4, 0.4, 0.2}, {"M", "F", "X"}}};
  auto r2 = rake(empty_cat, 5);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, ErrorCode::kInfeasible);
  EXPECT_EQ(r2.error().field, "sex/'X'");
}

TEST(Tally, WeightedWilsonWithEffectiveN) {
  // yes no yes no, weights 3 1 1 1: n_eff 3, p 2/3, Wilson [0.207660, 0.938509].
  std::vector<int32_t> codes = {0, 1, 0, 1};
  std::vector<double> w = {3, 1, 1, 1};
  auto t = weighted_tally(codes, 2, w, TallyOptions{});
  ASSERT_TRUE(t.ok());
  EXPECT_NEAR(t->effective_n, 3.0, 1e-12);
  EXPECT_NEAR(t->cells[0].share, 2.0 / 3, 1e-12);
  EXPECT_NEAR(t->cells[0].ci_low, 0.207660, 2e-6);
  EXPECT_NEAR(t->cells[0].ci_high, 0.938509, 2e-6);
  EXPECT_NEAR(normal_quantile_two_sided(0.95), 1.959963984540054, 1e-12);
}

TEST(Tally, SuppressesSmallCells) {
  std::vector<int32_t> g = {0, 0, 0, 0, 1, 1};
  std::vector<int32_t> c = {0, 0, 0, 1, 0, -1};
  TallyOptions o;
  o.suppress_below = 3;
  auto ct = crosstab(g, 2, c, 2, {}, o);
  ASSERT_TRUE(ct.ok());
  EXPECT_TRUE(ct->groups[0].cells[1].suppressed);   // 1 respondent
  EXPECT_TRUE(ct->groups[1].cells[0].suppressed);
  EXPECT_FALSE(ct->groups[1].cells[1].suppressed);  // 0 respondents: nothing to disclose
  EXPECT_EQ(ct->groups[1].count, 1);                // the missing answer is left out
  // Group 1's total is its one respondent, so it cannot be shown either.
  EXPECT_TRUE(ct->groups[1].total_suppressed);
  EXPECT_EQ(ct->totals.count, 5);
}

TEST(Disclosure, ALoneHiddenCellIsProtectedByItsSmallestNeighbours) {
  // Group "shared ownership": 1 supports, 16 do not, total 17 shown. Hiding only the 1 gives it
  // back (17 − 16); the cheapest cycle through it hides 16, 3 and 20 (the other small group).
  const std::vector<int64_t> counts = {310, 590, 1, 16, 80, 200, 250, 530, 3, 20};
  DisclosureTable t;
  t.rows = 5;
  t.columns = 2;
  t.counts = counts;
  SuppressionPattern primary_only;
  primary_only.cells = {0, 0, 1, 0, 0, 0, 0, 0, 1, 0};
  primary_only.row_totals.assign(5, 0);
  primary_only.column_totals.assign(2, 0);
  EXPECT_EQ(determined_hidden_values(t, primary_only), (std::vector<int64_t>{2, 8}));
  SuppressionPattern p = suppress_small_cells(t, 10);
  EXPECT_EQ(p.cells, (std::vector<uint8_t>{0, 0, 1, 1, 0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(p.primary, 2);
  EXPECT_EQ(p.secondary, 2);
  EXPECT_TRUE(determined_hidden_values(t, p).empty());
  EXPECT_EQ(p.row_totals, (std::vector<uint8_t>(5, 0)));
  EXPECT_FALSE(p.grand_total);
}

TEST(Disclosure, HiddenCellsAtTheirLowerBoundAreFixed) {
  // A tally with two hidden 1s and its total shown: both must be 1. A third cell is hidden.
  const std::vector<int64_t> counts = {1, 1, 40, 7};
  DisclosureTable t;
  t.rows = 1;
  t.columns = 4;
  t.counts = counts;
  t.column_totals_shown = t.grand_total_shown = false;
  SuppressionPattern p = suppress_small_cells(t, 5);
  EXPECT_EQ(p.cells, (std::vector<uint8_t>{1, 1, 0, 1}));
  EXPECT_TRUE(determined_hidden_values(t, p).empty());
  // With weights, a weighted sum of 0 (all weights 0) cannot be lowered either: neither the 1
  // nor the 3 (weighted 0) can move without the other going below its bound.
  const std::vector<int64_t> counts2 = {1, 3, 40};
  const std::vector<double> weighted2 = {0.5, 0.0, 38.0};
  t.columns = 3;
  t.counts = counts2;
  t.weighted = weighted2;
  p = suppress_small_cells(t, 5);
  EXPECT_EQ(p.cells, (std::vector<uint8_t>{1, 1, 1}));
  EXPECT_TRUE(determined_hidden_values(t, p).empty());
}

TEST(Campaigns, AsciiWordsMatchIcuWords) {
  // The second text has a no-break space, so it takes the ICU path (fold, then segment); the
  // first the ASCII path. The same words must give the same shingles: one distinct text.
  const std::vector<std::string> pairs[] = {
      {"The council's plan costs 1,000.50 pounds; face-to-face e.g. meetings_now!",
       "the COUNCIL'S plan costs 1,000.50 pounds;\u00A0face-to-face e.g. meetings_now"},
      {"Don't close it -- well-being, 3.5 km... ok?", "DON'T close it --\u00A0well-being, 3.5 km ok"},
  };
  for (const auto& texts : pairs) {
    std::vector<std::string_view> views(texts.begin(), texts.end());
    CampaignOptions o;
    o.threshold = 1.0;
    auto r = find_campaigns(views, {}, o);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->distinct_texts, 1) << texts[0];
    ASSERT_EQ(r->groups.size(), 1u);
    EXPECT_EQ(r->groups[0].members, (std::vector<size_t>{0, 1}));
  }
}

TEST(Campaigns, OptionsAndUtf8AreChecked) {
  std::vector<std::string_view> texts = {"one two three", "\xff\xfe"};
  auto bad = find_campaigns(texts, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "/texts/1");
  CampaignOptions o;
  o.rows = 0;
  auto r = find_campaigns(std::span(texts).first(1), {}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "rows");
}

TEST(Representativeness, ByHand) {
  // owned 30, social 10, private 60 vs targets .3/.3/.4: chi-square 70/3 on 2 df,
  // p = exp(−35/3), dissimilarity 0.2, social under-represented.
  std::vector<int32_t> codes;
  codes.insert(codes.end(), 30, 0);
  codes.insert(codes.end(), 10, 1);
  codes.insert(codes.end(), 60, 2);
  codes.push_back(-1);
  std::vector<double> targets = {0.3, 0.3, 0.4};
  auto r = representativeness(codes, targets);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->n, 100);
  EXPECT_NEAR(r->chi_square, 70.0 / 3, 1e-12);
  EXPECT_EQ(r->degrees_of_freedom, 2);
  EXPECT_NEAR(r->p_value, std::exp(-35.0 / 3), 1e-15);
  EXPECT_NEAR(r->dissimilarity, 0.2, 1e-12);
  EXPECT_TRUE(r->categories[1].under_represented);
  EXPECT_FALSE(r->categories[0].under_represented);
  EXPECT_NEAR(chi_square_upper_tail(3.841458820694124, 1), 0.05, 1e-12);
}
