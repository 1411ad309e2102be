// Drawing a panel from the members database: who is left out and why (contact limits, facts that
// are missing, expired, unconsented or outside the quotas), and that the draw over the rest meets
// the quotas. Expected figures come from the rules and from symmetry, worked out by hand:
// with 2 eligible members in each of the 6 age × sex cells, quotas of 2 per age band and 3 per
// sex, every eligible member is interchangeable with every other (swap the sexes, permute the age
// bands), so LEXIMIN gives each the same probability, 6 seats / 12 members = 0.5.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "townhall/panel/draw.h"

namespace townhall::panel {
namespace {

Date d(const char* iso) { return Date::parse(iso).value(); }

const Date kToday = d("2026-03-02");
const char* kAges[] = {"16-34", "35-64", "65+"};
const char* kSexes[] = {"Female", "Male"};

Fact fact(const std::string& key, const std::string& value, std::optional<Date> until = std::nullopt, bool consent = true) {
  return Fact{key, value, "online", "join", d("2025-01-10"), consent, until};
}

struct Pool {
  DrawInput input;
  std::map<int64_t, std::pair<std::string, std::string>> cell;  // member → (age, sex) for eligible ones

  void add(int64_t id, std::vector<Fact> facts, nlohmann::json personal = nlohmann::json::object()) {
    Member m;
    m.id = id;
    m.person_id = 100 + id;
    m.personal = std::move(personal);
    input.members.push_back(m);
    input.facts.push_back({id, std::move(facts)});
  }
  void invite(int64_t id, const char* on, const std::string& consultation = "c-old") {
    input.invitations.push_back({id, consultation, d(on)});
  }
};

// Members 1-6: valid facts but invited 3 times in the last 365 days (the limit is 3 in 365).
// Members 7-8: no age band; 9: age band expired; 10: age band given without consent to reuse.
// Members 11-22: eligible, two per age × sex cell; member 11 has 2 invitations in the window and
// one older than the window, so stays within the limit.
Pool standard_pool() {
  Pool p;
  for (int64_t id = 1; id <= 6; ++id) {
    p.add(id, {fact("age_band", kAges[id % 3]), fact("sex", kSexes[id % 2])});
    p.invite(id, "2025-04-01", "c-1");
    p.invite(id, "2025-09-01", "c-2");
    p.invite(id, "2026-02-01", "c-3");
  }
  p.add(7, {fact("sex", "Female")});
  p.add(8, {});
  p.add(9, {fact("age_band", "65+", d("2026-03-01")), fact("sex", "Male")});
  p.add(10, {fact("age_band", "65+", std::nullopt, false), fact("sex", "Male")});
  int64_t id = 11;
  for (const char* age : kAges)
    for (const char* sex : kSexes)
      for (int twice = 0; twice < 2; ++twice, ++id) {
        p.add(id, {fact("age_band", age), fact("sex", sex), fact("tenure", "Owned")});
        p.cell[id] = {age, sex};
      }
  p.invite(11, "2025-03-02");  // 365 days before 2026-03-02: just outside the window
  p.invite(11, "2025-03-03");  // the window's first day
  p.invite(11, "2026-01-15");
  return p;
}

std::vector<selection::Category> quotas(int age_min, int age_max, int sex_min, int sex_max) {
  selection::Category age{"age_band", {kAges[0], kAges[1], kAges[2]}, {age_min, age_min, age_min}, {age_max, age_max, age_max}};
  selection::Category sex{"sex", {kSexes[0], kSexes[1]}, {sex_min, sex_min}, {sex_max, sex_max}};
  return {age, sex};
}

DrawRequest request(std::vector<selection::Category> q, int size, uint64_t seed = 7) {
  DrawRequest r;
  r.consultation_id = "c-9";
  r.quotas = std::move(q);
  r.size = size;
  r.seed = seed;
  r.policy = ContactPolicy{3, 365};
  r.today = kToday;
  return r;
}

TEST(PanelDraw, ExcludesOverTheLimitAndMissingFactsAndSaysHowManyAndWhy) {
  Pool p = standard_pool();
  DrawPool pool = prepare_draw(p.input, request(quotas(2, 2, 3, 3), 6));
  EXPECT_EQ(pool.instance.people.size(), 12u);
  ASSERT_EQ(pool.excluded.size(), 10u);
  std::map<int64_t, std::string> why;
  for (const auto& e : pool.excluded) why[e.member_id] = e.reason;
  const std::string over = "invited 3 times in the last 365 days (at most 3 invitations in 365 days)";
  for (int64_t id = 1; id <= 6; ++id) EXPECT_EQ(why[id], over) << id;
  for (int64_t id = 7; id <= 10; ++id) EXPECT_EQ(why[id], "no valid age_band") << id;
  EXPECT_EQ(pool.exclusion_summary(), "10 excluded: 6 " + over + "; 4 no valid age_band");
  // Member 1's third invitation in the window was 2025-04-01; it leaves the window after 365 days.
  EXPECT_NE(pool.excluded[0].detail.find("may be invited again from 2026-04-01"), std::string::npos)
      << pool.excluded[0].detail;
  auto j = pool.exclusions_json();
  EXPECT_EQ(j["count"], 10);
  EXPECT_EQ(j["by_reason"][0]["count"], 6);
  EXPECT_EQ(j["by_reason"][1]["reason"], "no valid age_band");
}

TEST(PanelDraw, PanelMeetsTheQuotasAndNeverHoldsAnExcludedMember) {
  Pool p = standard_pool();
  for (uint64_t seed : {1u, 2u, 3u, 99u}) {
    auto r = request(quotas(2, 2, 3, 3), 6, seed);
    DrawPool pool = prepare_draw(p.input, r);
    auto drawn = run_draw(pool, r);
    ASSERT_TRUE(drawn.ok()) << drawn.error().describe();
    ASSERT_EQ(drawn->selected.size(), 6u);
    std::map<std::string, int> per_age, per_sex;
    for (int64_t id : drawn->selected) {
      ASSERT_TRUE(p.cell.count(id)) << "member " << id << " was excluded but drawn";
      per_age[p.cell[id].first]++;
      per_sex[p.cell[id].second]++;
    }
    for (const char* age : kAges) EXPECT_EQ(per_age[age], 2) << age;
    for (const char* sex : kSexes) EXPECT_EQ(per_sex[sex], 3) << sex;
    EXPECT_NEAR(drawn->selection.min_probability, 0.5, 1e-6);
    EXPECT_EQ(drawn->selection.probabilities.size(), 12u);  // only eligible members are in the pool
    for (const auto& [id, prob] : drawn->selection.probabilities) EXPECT_NEAR(prob, 0.5, 1e-6) << id;
    auto j = drawn->to_json(r, pool);
    EXPECT_EQ(j["eligible"], 12);
    EXPECT_EQ(j["excluded"]["count"], 10);
    EXPECT_EQ(j["seed"], seed);
    EXPECT_EQ(j["commitment"].get<std::string>().size(), 64u);
  }
  // Same inputs and seed, same panel.
  auto r = request(quotas(2, 2, 3, 3), 6, 42);
  EXPECT_EQ(run_draw(prepare_draw(p.input, r), r)->selected, run_draw(prepare_draw(p.input, r), r)->selected);
}

TEST(PanelDraw, ASecondDrawForTheSameConsultationExcludesEveryoneInvited) {
  Pool p = standard_pool();
  auto r = request(quotas(2, 2, 3, 3), 6);
  auto first = run_draw(prepare_draw(p.input, r), r);
  ASSERT_TRUE(first.ok());
  for (int64_t id : first->selected) p.invite(id, "2026-03-02", "c-9");
  // Fewer members remain in each cell; loosen the quotas so a second panel exists.
  auto r2 = request(quotas(0, 6, 0, 6), 6, 8);
  DrawPool pool = prepare_draw(p.input, r2);
  std::set<int64_t> invited(first->selected.begin(), first->selected.end());
  int64_t already = 0;
  for (const auto& e : pool.excluded) {
    if (e.reason == "already invited to c-9") {
      EXPECT_TRUE(invited.count(e.member_id)) << e.member_id;
      ++already;
    }
  }
  EXPECT_EQ(already, 6);
  EXPECT_EQ(pool.instance.people.size(), 6u);
  auto second = run_draw(pool, r2);
  ASSERT_TRUE(second.ok()) << second.error().describe();
  for (int64_t id : second->selected) EXPECT_FALSE(invited.count(id)) << id;
  EXPECT_EQ(second->selected.size(), 6u);
  // A third draw would have nobody left.
  for (int64_t id : second->selected) p.invite(id, "2026-03-02", "c-9");
  auto third = run_draw(prepare_draw(p.input, r2), r2);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().field, "size");
  EXPECT_NE(third.error().message.find("12 already invited to c-9"), std::string::npos) << third.error().message;
}

TEST(PanelDraw, InfeasibleQuotasComeWithTheSmallestRelaxation) {
  Pool p = standard_pool();
  auto q = quotas(0, 6, 0, 6);
  q[0].min[0] = 5;  // five 16-34s, but only four eligible members are 16-34
  auto r = request(q, 6);
  DrawPool pool = prepare_draw(p.input, r);
  auto drawn = run_draw(pool, r);
  ASSERT_FALSE(drawn.ok());
  EXPECT_EQ(drawn.error().code, ErrorCode::kInfeasible);
  auto relax = draw_relaxation(pool, r);
  ASSERT_EQ(relax.size(), 1u);
  EXPECT_EQ(relax[0].category, "age_band");
  EXPECT_EQ(relax[0].value, "16-34");
  EXPECT_EQ(relax[0].new_min, 4);
}

TEST(PanelDraw, ATimeLimitBeforeAnyPanelStopsLeximinWithAClearError) {
  Pool p = standard_pool();
  auto r = request(quotas(2, 2, 3, 3), 6);
  r.max_seconds = 1e-9;  // spent before the first LP is solved
  auto drawn = run_draw(prepare_draw(p.input, r), r);
  ASSERT_FALSE(drawn.ok());
  EXPECT_EQ(drawn.error().code, ErrorCode::kInternal);
  EXPECT_EQ(drawn.error().field, "time-limit");
}

TEST(PanelDraw, ValuesOutsideTheQuotasAreExcludedAndCaseIsIgnored) {
  Pool p;
  p.add(1, {fact("age_band", "16-34"), fact("sex", "female")});  // lower case still matches
  p.add(2, {fact("age_band", "90+"), fact("sex", "Male")});
  p.add(3, {fact("age_band", "65+"), fact("sex", "Male")});
  auto r = request(quotas(0, 2, 0, 2), 2);
  DrawPool pool = prepare_draw(p.input, r);
  ASSERT_EQ(pool.excluded.size(), 1u);
  EXPECT_EQ(pool.excluded[0].member_id, 2);
  EXPECT_EQ(pool.exclusion_summary(), "1 excluded: 1 age_band not among the quota values");
  EXPECT_EQ(pool.instance.people.size(), 2u);
}

TEST(PanelDraw, OnePerHouseholdUsesTheNormalisedAddress) {
  // Members 1 and 2 live at the same address (written differently); member 3 elsewhere. A panel of
  // 2 with one per household must be {3, 1} or {3, 2}: member 3 always, 1 and 2 half the time each.
  Pool p;
  p.add(1, {fact("sex", "Female"), fact("postcode", "W10 5AA")}, {{"address", "12 Oxford Gardens"}});
  p.add(2, {fact("sex", "Male"), fact("postcode", "W10 5AA")}, {{"address", "12, oxford gardens."}});
  p.add(3, {fact("sex", "Male"), fact("postcode", "W11 1AA")}, {{"address", "3 Ladbroke Grove"}});
  auto r = request({selection::Category{"sex", {"Female", "Male"}, {0, 0}, {2, 2}}}, 2);
  r.households = true;
  for (uint64_t seed = 0; seed < 6; ++seed) {
    r.seed = seed;
    auto drawn = run_draw(prepare_draw(p.input, r), r);
    ASSERT_TRUE(drawn.ok()) << drawn.error().describe();
    ASSERT_EQ(drawn->selected.size(), 2u);
    EXPECT_EQ(drawn->selected[1], 3);
    EXPECT_NEAR(drawn->selection.min_probability, 0.5, 1e-6);
  }
}

TEST(PanelDraw, QuotaRowsFromJsonNameTheBadField) {
  auto ok = quotas_from_json(nlohmann::json::parse(
      R"([{"category":"sex","value":"Female","min":1,"max":2},{"category":"sex","value":"Male","min":0,"max":2}])"));
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(ok->size(), 1u);
  EXPECT_EQ((*ok)[0].values, (std::vector<std::string>{"Female", "Male"}));
  auto bad = quotas_from_json(nlohmann::json::parse(
      R"([{"category":"sex","value":"Female","min":1,"max":2},{"category":"sex","value":"Male","min":3,"max":2}])"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "/quotas/1/min");
  auto dup = quotas_from_json(nlohmann::json::parse(
      R"([{"category":"sex","value":"Male","min":1,"max":2},{"category":"sex","value":"Male","min":0,"max":2}])"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().field, "/quotas/1/value");
  auto key = quotas_from_json(nlohmann::json::parse(R"([{"category":"Age Band","value":"x","min":0,"max":1}])"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().field, "/quotas/0/category");
}

}  // namespace
}  // namespace townhall::panel
