// LEXIMIN on generated pools: against brute force on pools small enough to list every panel, and
// properties that must hold on council-shaped pools of every size — every panel in the support
// meets every quota and the household rule, the probabilities add up to the panel size, and the
// certificate is honest about what it proves, also when the run is stopped early.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <set>
#include <string>

#include "townhall/selection/leximin.h"
#include "townhall/selection/lp_solver.h"
#include "townhall/selection/prng.h"

namespace townhall::selection {
namespace {

struct Shape {
  int people = 12;
  int k = 4;
  std::vector<int> values;        // number of values per category
  double shared_household = 0;    // chance that a person lives with the one before
};

// A pool drawn with a bias per value (as volunteers self-select), and quotas around a target that
// differs from the pool (the population's shares): the rounded target, one either side, which is
// how councils set them. Redrawn until a panel meets the quotas.
SelectionProblem generated_pool(uint64_t seed, const Shape& shape) {
  Xoshiro256 rng(seed);
  for (;;) {
    SelectionProblem p;
    p.k = shape.k;
    const size_t C = shape.values.size();
    std::vector<std::vector<double>> bias(C), target(C);
    for (size_t c = 0; c < C; ++c) {
      const int V = shape.values[c];
      Category cat;
      cat.name = "category " + std::to_string(c);
      for (int v = 0; v < V; ++v) {
        cat.values.push_back("value " + std::to_string(v));
        bias[c].push_back(0.3 + rng.uniform());
        target[c].push_back(0.5 + rng.uniform());
      }
      p.categories.push_back(cat);
    }
    auto draw = [&](const std::vector<double>& weights) {
      double total = std::accumulate(weights.begin(), weights.end(), 0.0), u = rng.uniform() * total;
      for (size_t v = 0; v < weights.size(); ++v) {
        if (u < weights[v]) return static_cast<int>(v);
        u -= weights[v];
      }
      return static_cast<int>(weights.size()) - 1;
    };
    for (int i = 0; i < shape.people; ++i) {
      std::vector<int> person(C);
      for (size_t c = 0; c < C; ++c) person[c] = draw(bias[c]);
      p.people.push_back(person);
      const bool shares = i > 0 && p.household.back().empty() && rng.uniform() < shape.shared_household;
      if (shares) p.household.back() = "home " + std::to_string(i);
      p.household.push_back(shares ? "home " + std::to_string(i) : "");
    }
    for (size_t c = 0; c < C; ++c) {
      const double total = std::accumulate(target[c].begin(), target[c].end(), 0.0);
      Category& cat = p.categories[c];
      for (size_t v = 0; v < cat.values.size(); ++v) {
        const double t = shape.k * target[c][v] / total;
        cat.min.push_back(std::max(0, static_cast<int>(std::floor(t)) - 1));
        cat.max.push_back(static_cast<int>(std::ceil(t)) + 1);
      }
    }
    if (quotas_feasible(p)) return p;
  }
}

// The LEXIMIN over an explicit list of every quota-feasible panel of people (no types, no
// relaxation, no column generation): a level maximises the lowest probability of the people not
// yet fixed; then each of them is asked, with one LP of its own, whether it can get more while
// everybody else keeps theirs; those that cannot are fixed at the level. Needs n <= 20.
std::vector<double> brute_force_leximin(const SelectionProblem& p) {
  const size_t n = p.people.size();
  std::vector<std::vector<int>> panels;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    if (std::popcount(mask) != p.k) continue;
    std::vector<int> panel;
    for (size_t i = 0; i < n; ++i)
      if (mask & (1u << i)) panel.push_back(static_cast<int>(i));
    if (panel_is_valid(p, panel)) panels.push_back(panel);
  }
  EXPECT_FALSE(panels.empty());
  std::vector<std::vector<int>> holding(n);  // panels each person sits on
  for (size_t j = 0; j < panels.size(); ++j)
    for (int i : panels[j]) holding[static_cast<size_t>(i)].push_back(static_cast<int>(j));
  std::vector<double> fixed(n, -1.0);
  // People who sit on no panel get 0 and are fixed from the start.
  for (size_t i = 0; i < n; ++i)
    if (holding[i].empty()) fixed[i] = 0;
  auto model = [&](double z_lo, double z_hi) {
    auto lp = make_coin_model();
    for (size_t j = 0; j < panels.size(); ++j) lp->add_variable(0, kLpInfinity, 0);
    const int z = lp->add_variable(z_lo, z_hi, 0);
    std::vector<int> all(panels.size());
    std::iota(all.begin(), all.end(), 0);
    lp->add_constraint(all, std::vector<double>(all.size(), 1.0), 1, 1);
    for (size_t i = 0; i < n; ++i) {
      std::vector<int> vars = holding[i];
      std::vector<double> ones(vars.size(), 1.0);
      if (fixed[i] < 0) {
        vars.push_back(z);
        ones.push_back(-1.0);
        lp->add_constraint(vars, ones, 0, kLpInfinity);
      } else if (!vars.empty()) {
        lp->add_constraint(vars, ones, fixed[i] - 1e-9, kLpInfinity);
      }
    }
    return std::make_pair(std::move(lp), z);
  };
  while (std::any_of(fixed.begin(), fixed.end(), [](double f) { return f < 0; })) {
    auto [level, z] = model(-kLpInfinity, kLpInfinity);
    level->set_cost(z, -1);
    EXPECT_EQ(level->solve(), LpStatus::kOptimal);
    const double value = -level->objective();
    std::vector<size_t> at_level;
    for (size_t i = 0; i < n; ++i) {
      if (fixed[i] >= 0) continue;
      auto [more, zz] = model(value - 1e-9, kLpInfinity);
      for (int j : holding[i]) more->set_cost(j, -1);
      EXPECT_EQ(more->solve(), LpStatus::kOptimal);
      if (-more->objective() <= value + 1e-7) at_level.push_back(i);
    }
    EXPECT_FALSE(at_level.empty());
    if (at_level.empty()) break;
    for (size_t i : at_level) fixed[i] = value;
  }
  return fixed;
}

// Every panel in the support, as several different concrete panels of people, meets every quota
// and the household rule; weights add up to 1 and probabilities to k; each person's probability
// is what the panels give them.
void check_distribution(const SelectionProblem& p, const PanelDistribution& d) {
  ASSERT_FALSE(d.panels.empty());
  ASSERT_EQ(d.panels.size(), d.weights.size());
  EXPECT_NEAR(std::accumulate(d.weights.begin(), d.weights.end(), 0.0), 1.0, 1e-9);
  EXPECT_NEAR(std::accumulate(d.probabilities.begin(), d.probabilities.end(), 0.0), p.k, 1e-6);
  std::vector<double> got(p.people.size(), 0.0);
  for (size_t j = 0; j < d.panels.size(); ++j) {
    const TypePanel& tp = d.panels[j];
    EXPECT_GT(d.weights[j], 0.0);
    for (size_t shift = 0; shift < 3; ++shift) {
      std::vector<size_t> offset(tp.size(), shift);
      const auto panel = expand_panel(d.types, tp, offset);
      EXPECT_TRUE(panel_is_valid(p, panel)) << "panel " << j << " shift " << shift;
      std::set<std::string> homes;
      for (int i : panel) {
        const std::string& h = p.household[static_cast<size_t>(i)];
        if (!h.empty()) {
          EXPECT_TRUE(homes.insert(h).second) << "two people from " << h << " on panel " << j;
        }
      }
    }
    for (size_t t = 0; t < tp.size(); ++t)
      for (int i : d.types.members[t])
        got[static_cast<size_t>(i)] += d.weights[j] * tp[t] / static_cast<double>(d.types.members[t].size());
  }
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], d.probabilities[i], 1e-9) << i;
}

// The certificate of a finished run: every level within the tolerance of its bound, the first
// level's bound no higher than the dual bound, and the minimum probability between the two.
void check_certificate(const PanelDistribution& d) {
  const LeximinCertificate& c = d.certificate;
  EXPECT_TRUE(c.certified) << c.summary();
  EXPECT_FALSE(c.stopped_early);
  EXPECT_EQ(c.levels_certified, c.levels_total);
  EXPECT_LE(c.max_shortfall, c.tolerance);
  ASSERT_FALSE(c.levels.empty());
  size_t people = 0;
  for (const auto& level : c.levels) {
    EXPECT_GE(level.achieved, level.bound - c.tolerance);
    people += level.people;
  }
  EXPECT_LE(people, d.probabilities.size());
  const double lowest = *std::min_element(d.probabilities.begin(), d.probabilities.end());
  EXPECT_LE(lowest, c.dual_bound + 1e-9);
  EXPECT_GE(lowest, c.dual_bound - c.tolerance);
  EXPECT_FALSE(c.phases.empty());
  EXPECT_EQ(c.summary().rfind("certified LEXIMIN", 0), 0u) << c.summary();
}

TEST(PanelLeximinGenerated, SmallPoolsMatchBruteForceExactly) {
  int relaxation = 0, column_generation = 0;
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    Shape shape;
    shape.people = 9 + static_cast<int>(seed % 4);   // 9-12 people
    shape.k = 3 + static_cast<int>(seed % 3);        // panels of 3-5
    shape.values = seed % 2 ? std::vector<int>{2, 3} : std::vector<int>{2, 2, 3};
    shape.shared_household = seed % 3 == 0 ? 0.3 : 0.0;
    SelectionProblem p = generated_pool(seed, shape);
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto d = leximin(p);
    ASSERT_TRUE(d.ok()) << d.error().message;
    const auto exact = brute_force_leximin(p);
    for (size_t i = 0; i < exact.size(); ++i) EXPECT_NEAR(d->probabilities[i], exact[i], 1e-5) << "person " << i;
    check_distribution(p, *d);
    check_certificate(*d);
    (d->relaxation_decomposed ? relaxation : column_generation)++;
  }
  // Both routes are exercised: relaxations that are mixtures of panels, and some that are not.
  EXPECT_GT(relaxation, 0);
}

Shape council_shape(int people, int k) {
  Shape s;
  s.people = people;
  s.k = k;
  s.values = {8, 5, 2, 4, 3, 2};  // ward, age band, sex, ethnicity, tenure, disability
  s.shared_household = 0.1;
  return s;
}

// Council-shaped pools with six categories and households: every panel in the support meets every
// quota and the household rule, and the result is certified.
TEST(PanelLeximinGenerated, EveryPanelInTheSupportMeetsEveryQuotaAndHouseholdRule) {
  for (uint64_t seed : {7u, 8u, 9u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    SelectionProblem p = generated_pool(seed, council_shape(500, 30));
    auto d = leximin(p);
    ASSERT_TRUE(d.ok()) << d.error().message;
    check_distribution(p, *d);
    check_certificate(*d);
    // Written as a mixture of panels by Carathéodory steps alone: the decomposition starts from a
    // point inside the relaxation, so it does not stall when the mass left gets small.
    EXPECT_EQ(d->certificate.method, "relaxation + Carathéodory");
    EXPECT_LE(d->panels.size(), d->types.members.size() + 1);
  }
}

// A second, independent method on the same pools: the column-generation LEXIMIN over panels finds
// the same probabilities as the relaxation and Carathéodory steps.
TEST(PanelLeximinGenerated, ColumnGenerationGivesTheSameProfile) {
  for (uint64_t seed : {3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    SelectionProblem p = generated_pool(seed, council_shape(120, 12));
    auto fast = leximin(p);
    LeximinOptions o;
    o.relaxation_first = false;
    auto reference = leximin(p, o);
    ASSERT_TRUE(fast.ok()) << fast.error().message;
    ASSERT_TRUE(reference.ok()) << reference.error().message;
    EXPECT_EQ(reference->certificate.method, "column generation");
    check_certificate(*reference);
    for (size_t i = 0; i < p.people.size(); ++i)
      EXPECT_NEAR(fast->probabilities[i], reference->probabilities[i], 1e-5) << "person " << i;
  }
}

// Stopped part of the way through the decomposition: the mixture found so far is returned, every
// panel still meets the quotas, and the certificate says plainly that it is not the LEXIMIN and by
// how much it may fall short.
TEST(PanelLeximinGenerated, StoppedEarlyReturnsTheBestSoFarAndSaysSo) {
  SelectionProblem p = generated_pool(11, council_shape(500, 30));
  auto full = leximin(p);
  ASSERT_TRUE(full.ok());
  // The stop is asked once per relaxation level and once per Carathéodory step.
  int asked = 0;
  LeximinOptions o;
  o.stop = [&] { return ++asked > full->levels + 8; };
  auto d = leximin(p, o);
  ASSERT_TRUE(d.ok()) << d.error().message;
  check_distribution(p, *d);
  const LeximinCertificate& c = d->certificate;
  EXPECT_TRUE(c.stopped_early);
  EXPECT_FALSE(c.certified);
  EXPECT_LT(c.levels_certified, c.levels_total);
  EXPECT_GT(c.max_shortfall, c.tolerance);
  EXPECT_EQ(c.levels_total, full->certificate.levels_total);
  EXPECT_NEAR(c.dual_bound, full->certificate.dual_bound, 1e-12);  // the bound is already known
  EXPECT_EQ(c.summary().rfind("stopped at the time limit", 0), 0u) << c.summary();
  EXPECT_LT(d->panels.size(), full->panels.size());
  // Nobody is promised more than the bound allows, and the shortfall is what the levels show.
  double worst = 0;
  for (const auto& level : c.levels) {
    worst = std::max(worst, level.bound - level.achieved);
    EXPECT_FALSE(level.open);
  }
  EXPECT_DOUBLE_EQ(worst, c.max_shortfall);
  const double lowest = *std::min_element(d->probabilities.begin(), d->probabilities.end());
  EXPECT_LE(lowest, c.dual_bound + 1e-9);
}

// The column-generation LEXIMIN stopped between levels: the levels fixed so far are proven, the
// level in progress is open with its current upper bound.
TEST(PanelLeximinGenerated, ColumnGenerationStoppedEarlyKeepsItsProvenPrefix) {
  SelectionProblem p = generated_pool(5, council_shape(120, 12));
  LeximinOptions o;
  o.relaxation_first = false;
  auto full = leximin(p, o);
  ASSERT_TRUE(full.ok());
  ASSERT_GE(full->levels, 2);
  // Stop once the first level is fixed.
  LeximinOptions early = o;
  int levels_done = 0;
  early.progress = [&](const LeximinProgress& pr) { levels_done = pr.level; };
  early.stop = [&] { return levels_done >= 1; };
  auto d = leximin(p, early);
  ASSERT_TRUE(d.ok()) << d.error().message;
  check_distribution(p, *d);
  const LeximinCertificate& c = d->certificate;
  EXPECT_TRUE(c.stopped_early);
  EXPECT_FALSE(c.certified);
  ASSERT_EQ(c.levels_total, 2);
  EXPECT_TRUE(c.levels.back().open);
  EXPECT_EQ(c.levels_certified, 1);
  EXPECT_NEAR(c.levels[0].bound, full->certificate.levels[0].bound, 1e-7);
  EXPECT_NEAR(c.levels[0].achieved, full->certificate.levels[0].achieved, 1e-6);
  // The open level's bound is an upper bound for what the full run reaches there.
  EXPECT_GE(c.levels[1].bound, full->certificate.levels[1].achieved - 1e-7);
  EXPECT_NE(c.summary().find("level 1 of at least 2 certified"), std::string::npos) << c.summary();
}

TEST(PanelLeximinGenerated, ProgressReadsAsASentence) {
  LeximinProgress p;
  p.phase = "decomposition";
  p.panels = 412;
  p.levels_certified = 3;
  p.levels_total = 15;
  p.residual = 2.4e-3;
  p.elapsed = 41;
  p.estimate = 25;
  EXPECT_EQ(describe_progress(p),
            "LEXIMIN panels: 412 panels, levels certified 3 of 15, residual 2.4e-03 (done at 1.0e-06), elapsed 41 s, "
            "about 25 s left");
  p.phase = "relaxation";
  p.level = 5;
  p.people_fixed = 8914;
  p.people_total = 10000;
  p.lower = 0.0164607;
  p.elapsed = 2.14;
  p.estimate = -1;
  EXPECT_EQ(describe_progress(p),
            "LEXIMIN bounds (LP relaxation): level 5 done, 8914 of 10000 people fixed, lowest probability 0.016461, "
            "elapsed 2.1 s");
  p.elapsed = 125;
  EXPECT_NE(describe_progress(p).find("elapsed 2 min 5 s"), std::string::npos);
}

}  // namespace
}  // namespace townhall::selection
