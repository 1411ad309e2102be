// CSV parsing, quota/pool loading errors, the PRNG, the selection procedure (top-up, exclusions,
// reproducible draws, commitment, lottery rounding) and the legacy baseline.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <set>

#include "selection_test_util.h"
#include "townhall/selection/legacy.h"
#include "townhall/selection/prng.h"
#include "townhall/selection/selection.h"

namespace townhall::selection {
namespace {

using testing::sortition_dir;

TEST(PanelCsv, HandlesQuotesCrLfBomAndEmbeddedNewlines) {
  std::string text = "\xEF\xBB\xBFid,name,note\r\n1,\"Smith, Jo\",\"said \"\"hi\"\"\"\r\n2,Lee,\"two\nlines\"\r\n\r\n3,Ng,\r\n";
  auto t = csv::parse_csv(text, "pool.csv");
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->header, (std::vector<std::string>{"id", "name", "note"}));
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0][1], "Smith, Jo");
  EXPECT_EQ(t->rows[0][2], "said \"hi\"");
  EXPECT_EQ(t->rows[1][2], "two\nlines");
  EXPECT_EQ(t->rows[2][2], "");
  EXPECT_EQ(t->line_of_row[2], 6u);  // the embedded newline and the blank line both count
}

TEST(PanelCsv, RejectsUnclosedQuoteAndExtraFieldsNamingTheLine) {
  auto a = csv::parse_csv("a,b\n1,\"oops\n", "f.csv");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("f.csv, line 2"), std::string::npos) << a.error().message;
  auto b = csv::parse_csv("a,b\n1,2\n1,2,3\n", "g.csv");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("g.csv, line 3"), std::string::npos) << b.error().message;
}

TEST(PanelCsv, RefusesTextThatIsNotUtf8NamingLineAndColumn) {
  // A Latin-1 "é" in a quota value (it would end up in JSON, the database and the audit log).
  auto a = csv::parse_csv("category,name,min,max\nsex,F,1,2\n\nethnicity,Fran\xe7" "aise,0,3\n", "q.csv");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, ErrorCode::kInvalidCsv);
  EXPECT_NE(a.error().message.find("q.csv, line 4, column 'name': is not valid UTF-8"), std::string::npos)
      << a.error().message;
  auto header = csv::parse_csv("id,\xff\xfe\n1,2\n", "pool.csv");
  ASSERT_FALSE(header.ok());
  EXPECT_NE(header.error().message.find("pool.csv, line 1, field 2: is not valid UTF-8"), std::string::npos)
      << header.error().message;
  // Valid multi-byte text is read as it is.
  auto ok = csv::parse_csv("category,name,min,max\nethnicity,Fran\xc3\xa7" "aise,0,3\n", "q.csv");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->rows[0][1], "Fran\xc3\xa7" "aise");
}

TEST(PanelQuotas, ReadsAllThreeLayoutsAndIgnoresExtraColumns) {
  auto a = parse_quotas(*csv::parse_csv("category,feature,min,max\nsex,F,1,2\nsex,M,1,2\n", "a.csv"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->at(0).values, (std::vector<std::string>{"F", "M"}));
  auto b = parse_quotas(*csv::parse_csv("feature,value,min,max,min_flex,max_flex\nsex,F,1,2,0,5\n", "b.csv"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->at(0).name, "sex");
  EXPECT_EQ(b->at(0).max[0], 2);
  // OpenDLP layout: `suggest min`/`suggest max` must not be taken for min/max.
  auto c = parse_quotas(*csv::parse_csv("category,name,suggest min,suggest max,Current #,min,max\nsex,F,,,,14,16\n", "c.csv"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->at(0).min[0], 14);
  EXPECT_EQ(c->at(0).max[0], 16);
}

TEST(PanelQuotas, BadBoundsNameFileRowAndColumn) {
  auto r = parse_quotas(*csv::parse_csv("category,feature,min,max\nsex,F,1,2\nsex,M,3,x\n", "q.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("q.csv, row 2 (line 3), column 'max'"), std::string::npos) << r.error().message;
  auto s = parse_quotas(*csv::parse_csv("category,feature,min,max\nsex,F,3,2\n", "q.csv"));
  ASSERT_FALSE(s.ok());
}

TEST(PanelPool, UnknownValueMissingColumnEmptyPoolAndDuplicateIds) {
  auto cats = *parse_quotas(*csv::parse_csv("category,feature,min,max\nsex,F,1,2\nsex,M,1,2\n", "q.csv"));
  auto unknown = parse_pool(cats, *csv::parse_csv("id,sex\na,F\nb,X\n", "pool.csv"), {"id", {}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("pool.csv, row 2 (line 3), column 'sex'"), std::string::npos)
      << unknown.error().message;
  EXPECT_NE(unknown.error().message.find("'X'"), std::string::npos);
  auto missing = parse_pool(cats, *csv::parse_csv("id,gender\na,F\n", "pool.csv"), {"id", {}});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("missing column 'sex'"), std::string::npos);
  auto empty = parse_pool(cats, *csv::parse_csv("id,sex\n", "pool.csv"), {"id", {}});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("empty"), std::string::npos);
  auto dup = parse_pool(cats, *csv::parse_csv("id,sex\na,F\na,M\n", "pool.csv"), {"id", {}});
  ASSERT_FALSE(dup.ok());
  auto by_row = parse_pool(cats, *csv::parse_csv("sex\nF\nM\n", "pool.csv"), {});
  ASSERT_TRUE(by_row.ok());
  EXPECT_EQ(by_row->people[1].id, "1");  // no id column: 0-based row index
}

TEST(PanelPool, HouseholdAddressesAreNormalised) {
  EXPECT_EQ(normalise_household({"  12  High St.", "ZZ1 2AB"}), normalise_household({"12 high st", "zz1 2ab"}));
  EXPECT_NE(normalise_household({"12 High St", "ZZ1 2AB"}), normalise_household({"14 High St", "ZZ1 2AB"}));
  EXPECT_EQ(normalise_household({"", " "}), "");
}

// Reference vectors from a separate implementation of the published algorithm
// (SplitMix64-seeded xoshiro256**), seed 12345.
TEST(PanelPrng, Xoshiro256StarStarMatchesReferenceSequence) {
  Xoshiro256 rng(12345);
  EXPECT_EQ(rng.next(), 13720838825685603483ULL);
  EXPECT_EQ(rng.next(), 2398916695208396998ULL);
  EXPECT_EQ(rng.next(), 17770384849984869256ULL);
  Xoshiro256 r2(7);
  for (int i = 0; i < 1000; ++i) {
    double u = r2.uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
    EXPECT_LT(r2.below(7), 7u);
  }
}

TEST(PanelStats, GiniAndLotteryRounding) {
  EXPECT_NEAR(gini({0.1, 0.1, 0.1}), 0.0, 1e-12);
  EXPECT_NEAR(gini({0, 0, 0, 1}), 0.75, 1e-12);  // sum |xi-xj| / (2 n^2 mean) = 6 / (2*16*0.25)
  auto counts = round_to_lottery({0.5, 0.3, 0.2}, 7);  // 3.5, 2.1, 1.4 -> 3+2+1, remainder to 0.5
  EXPECT_EQ(counts, (std::vector<int>{4, 2, 1}));
}

// OpenDLP's monitoring fixture (n=100, k=30): small enough to draw many times in a unit test.
Instance opendlp_fixture() {
  PoolOptions po;
  po.id_column = "unique_id";
  auto inst = load_instance(sortition_dir() + "/opendlp/backend/docs/fixtures/monitoring/categories.csv",
                            sortition_dir() + "/opendlp/backend/docs/fixtures/monitoring/respondents.csv", po);
  EXPECT_TRUE(inst.ok());
  return *inst;
}

Instance sf_fixture() {
  PoolOptions po;
  po.id_column = "nationbuilder_id";
  auto inst = load_instance(sortition_dir() + "/sortition-algorithms/tests/fixtures/features.csv",
                            sortition_dir() + "/sortition-algorithms/tests/fixtures/candidates.csv", po);
  EXPECT_TRUE(inst.ok());
  return *inst;
}

TEST(PanelSelect, SameSeedSameDrawAndValidPanel) {
  Instance inst = opendlp_fixture();
  SelectionOptions o;
  o.k = 30;
  o.seed = 20261125;
  auto a = select_panel(inst, o);
  auto b = select_panel(inst, o);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->selected, b->selected);
  EXPECT_EQ(a->commitment, b->commitment);
  EXPECT_EQ(a->selected.size(), 30u);
  EXPECT_NEAR(a->min_probability, 0.29670, 1e-4);  // README reference
  double sum = 0;
  for (const auto& [id, p] : a->probabilities) sum += p;
  EXPECT_NEAR(sum, 30.0, 1e-6);
  // The drawn panel meets the quotas.
  SelectionProblem problem = testing::to_problem(inst, 30);
  std::vector<int> idx;
  for (size_t i = 0; i < inst.people.size(); ++i)
    if (std::count(a->selected.begin(), a->selected.end(), inst.people[i].id)) idx.push_back(static_cast<int>(i));
  EXPECT_TRUE(panel_is_valid(problem, idx));
  // Different seeds give different draws (over a few seeds).
  std::set<std::vector<std::string>> draws;
  for (uint64_t s = 1; s <= 4; ++s) {
    o.seed = s;
    draws.insert(select_panel(inst, o)->selected);
  }
  EXPECT_GT(draws.size(), 1u);
}

TEST(PanelSelect, CommitmentBindsInputsAndSettingsButNotTheSeed) {
  Instance inst = sf_fixture();
  SelectionOptions o;
  o.k = 22;
  const std::string base = selection_commitment(inst, o);
  EXPECT_EQ(base.size(), 64u);
  o.seed = 99;
  EXPECT_EQ(selection_commitment(inst, o), base);
  o.k = 21;
  EXPECT_NE(selection_commitment(inst, o), base);
  o.k = 22;
  Instance changed = inst;
  changed.categories[0].max[0] += 1;
  EXPECT_NE(selection_commitment(changed, o), base);
  o.exclude = {"p1"};
  EXPECT_NE(selection_commitment(inst, o), base);
}

TEST(PanelSelect, TopUpAroundAlreadySelectedAndExclusions) {
  Instance inst = opendlp_fixture();
  SelectionOptions o;
  o.k = 30;
  o.seed = 3;
  o.already_selected = {"1", "2"};
  o.exclude = {"3", "4"};
  auto r = select_panel(inst, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->selected.size(), 30u);
  EXPECT_EQ(r->selected[0], "1");
  EXPECT_EQ(r->selected[1], "2");
  std::map<std::string, double> prob(r->probabilities.begin(), r->probabilities.end());
  EXPECT_EQ(prob["1"], 1.0);
  EXPECT_EQ(prob["3"], 0.0);
  EXPECT_EQ(std::count(r->selected.begin(), r->selected.end(), "3"), 0);
  double sum = 0;
  for (const auto& [id, p] : r->probabilities) sum += p;
  EXPECT_NEAR(sum, 30.0, 1e-6);
  // The full panel (already-selected included) meets the original quotas.
  SelectionProblem problem = testing::to_problem(inst, 30);
  std::vector<int> idx;
  for (size_t i = 0; i < inst.people.size(); ++i)
    if (std::count(r->selected.begin(), r->selected.end(), inst.people[i].id)) idx.push_back(static_cast<int>(i));
  EXPECT_TRUE(panel_is_valid(problem, idx));
  o.already_selected = {"nobody"};
  EXPECT_FALSE(select_panel(inst, o).ok());
}

TEST(PanelSelect, LotteryReportsHowFarProbabilitiesMoved) {
  Instance inst = opendlp_fixture();
  SelectionOptions o;
  o.k = 30;
  o.seed = 5;
  o.lottery_panels = 1000;
  auto r = select_panel(inst, o);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->lottery.has_value());
  EXPECT_EQ(r->lottery->panels, 1000);
  EXPECT_GE(r->lottery->max_change, r->lottery->mean_change);
  // Rounding each panel weight moves it by < 1/m; a person sits on at most all support panels.
  EXPECT_LE(r->lottery->max_change, static_cast<double>(r->panels_in_support) / 1000.0 + 1e-9);
  EXPECT_EQ(r->selected.size(), 30u);
}

TEST(PanelLegacy, DrawsMeetQuotasAndEstimatesSumToK) {
  Instance inst = sf_fixture();
  SelectionProblem problem = testing::to_problem(inst, 22);
  Xoshiro256 rng(11);
  for (int i = 0; i < 20; ++i) {
    auto panel = legacy_draw(problem, rng);
    ASSERT_TRUE(panel.has_value());
    EXPECT_TRUE(panel_is_valid(problem, *panel));
  }
  auto est = legacy_probabilities(problem, 1, 300);
  EXPECT_EQ(est.runs + est.failed_runs, 300);
  EXPECT_NEAR(std::accumulate(est.probabilities.begin(), est.probabilities.end(), 0.0), 22.0, 1e-9);
}

}  // namespace
}  // namespace townhall::selection
