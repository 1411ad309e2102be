// KD-1..KD-6, PM-1/PM-2 and MEET-5. Every expected date below was worked out by hand from the
// rules in docs/design.md §2.1/§2.4 and a 2025 calendar (England and Wales: Spring bank holiday Monday
// 26 May 2025, Summer bank holiday Monday 25 August 2025); the working is in the comments.
#include "townhall/forward_plan/forward_plan_rules.h"

#include <gtest/gtest.h>

#include "forward_plan_test_util.h"
#include "townhall/charter/policy.h"

namespace townhall {
namespace {

using fptest::compliant_decision;
using fptest::contains;
using fptest::D;
using fptest::of_rule;
using fptest::with_severity;

std::vector<Finding> check_one(const KeyDecision& k, Date as_of, const CharterPolicy& policy = CharterPolicy::defaults()) {
  ForwardPlan plan;
  plan.key_decisions.push_back(k);
  return check_forward_plan(plan, policy, as_of);
}

std::vector<Finding> check_meeting(const Meeting& m, Date as_of) {
  ForwardPlan plan;
  plan.meetings.push_back(m);
  return check_forward_plan(plan, CharterPolicy::defaults(), as_of);
}

// ---------------------------------------------------------------- KD-1

TEST(ForwardPlanKd1, ExactlyTheThresholdIsNotOver) {
  KeyDecision k = compliant_decision();
  k.value_pence = 10'000'000;  // exactly £100,000
  k.treated_as_key = false;
  EXPECT_FALSE(meets_key_decision_test(k, CharterPolicy::defaults()));
  auto f = of_rule(check_one(k, D("2025-07-01")), "KD-1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_TRUE(contains(f[0].message, "Not a key decision")) << f[0].message;
  EXPECT_TRUE(contains(f[0].message, "spend of £100,000.00 is not over the threshold of £100,000.00")) << f[0].message;
  // Not key: no notice rules apply.
  EXPECT_TRUE(of_rule(check_one(k, D("2025-07-01")), "KD-2").empty());
}

TEST(ForwardPlanKd1, OnePennyOverIsKeyAndMustBeTreatedAsKey) {
  KeyDecision k = compliant_decision();
  k.value_pence = 10'000'001;  // £100,000.01
  k.treated_as_key = false;
  EXPECT_TRUE(meets_key_decision_test(k, CharterPolicy::defaults()));
  auto all = check_one(k, D("2025-07-01"));
  auto f = of_rule(all, "KD-1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kBreach);
  EXPECT_TRUE(contains(f[0].message, "spend of £100,000.01 is over the threshold of £100,000.00")) << f[0].message;
  EXPECT_EQ(f[0].figures.at("value_pence"), 10'000'001);
  EXPECT_EQ(f[0].figures.at("threshold_pence"), 10'000'000);
  EXPECT_EQ(f[0].citation, "SI 2012/2089 reg 8; Charter for Public Participation: Notice of decisions");
  // Legally key, so KD-2 still applies.
  EXPECT_FALSE(of_rule(all, "KD-2").empty());
}

TEST(ForwardPlanKd1, TwoWardsWithSignificantEffectsIsKeyOneIsNot) {
  KeyDecision k = compliant_decision();
  k.value_pence = 500'000;  // £5,000
  k.significant_effects = true;
  k.wards_affected = {"Abbey", "Castle"};
  EXPECT_TRUE(meets_key_decision_test(k, CharterPolicy::defaults()));
  k.wards_affected = {"Abbey"};
  EXPECT_FALSE(meets_key_decision_test(k, CharterPolicy::defaults()));
  // Two wards but no significant effects found: not key.
  k.wards_affected = {"Abbey", "Castle"};
  k.significant_effects = false;
  EXPECT_FALSE(meets_key_decision_test(k, CharterPolicy::defaults()));

  k.significant_effects = true;
  k.treated_as_key = false;
  auto f = of_rule(check_one(k, D("2025-07-01")), "KD-1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kBreach);
  EXPECT_TRUE(contains(f[0].message, "2 wards (Abbey and Castle)")) << f[0].message;
  EXPECT_EQ(f[0].figures.at("wards_with_significant_effects"), 2);
}

TEST(ForwardPlanKd1, PolicyThresholdAndWardCount) {
  CharterPolicy p = CharterPolicy::defaults();
  p.key_decision_threshold_pence = 25'000'000;  // £250,000
  p.key_decision_ward_count = 3;
  KeyDecision k = compliant_decision();
  k.value_pence = 20'000'000;
  k.significant_effects = true;
  k.wards_affected = {"Abbey", "Castle"};
  EXPECT_FALSE(meets_key_decision_test(k, p));
  k.wards_affected.push_back("Dene");
  EXPECT_TRUE(meets_key_decision_test(k, p));
}

TEST(ForwardPlanKd1, MissingReasonsIsAWarning) {
  KeyDecision k = compliant_decision();
  k.assessment_reasons.clear();
  auto f = of_rule(check_one(k, D("2025-07-01")), "KD-1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_TRUE(contains(f[0].message, "not recorded")) << f[0].message;
}

TEST(ForwardPlanKd1, SeverityOverrideFromPolicy) {
  // Outside England KD-1 is the council's own policy, so its severity is the council's to set (in
  // England it is a statutory floor: see legal_fidelity_test).
  CharterPolicy p = CharterPolicy::defaults();
  p.nation = Nation::kWales;
  p.severity_overrides["KD-1"] = Severity::kWarning;
  KeyDecision k = compliant_decision();
  k.treated_as_key = false;
  auto f = of_rule(check_one(k, D("2025-07-01"), p), "KD-1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
}

// ---------------------------------------------------------------- KD-2

TEST(ForwardPlanKd2, DesignExampleEighteenthJunePasses) {
  // Decision Thu 17 Jul 2025; 28 clear days: 17 Jul − 29 days = Wed 18 Jun. Days strictly between
  // 18 Jun and 17 Jul: 19–30 Jun (12) + 1–16 Jul (16) = 28.
  auto all = check_one(compliant_decision(), D("2025-07-01"));
  auto f = of_rule(all, "KD-2");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_EQ(f[0].figures.at("clear_days"), 28);
  EXPECT_EQ(f[0].figures.at("required_days"), 28);
  EXPECT_EQ(f[0].dates.at("required_by"), D("2025-06-18"));
  EXPECT_FALSE(has_breach(all));
}

TEST(ForwardPlanKd2, DesignExampleNineteenthJuneIsABreach) {
  KeyDecision k = compliant_decision();
  k.notice->published_on = D("2025-06-19");  // 20 Jun–16 Jul: 11 + 16 = 27 clear days
  auto f = of_rule(check_one(k, D("2025-07-01")), "KD-2");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kBreach);
  EXPECT_EQ(f[0].figures.at("clear_days"), 27);
  EXPECT_EQ(f[0].figures.at("required_days"), 28);
  EXPECT_EQ(f[0].dates.at("required_by"), D("2025-06-18"));
  EXPECT_EQ(f[0].dates.at("published"), D("2025-06-19"));
  EXPECT_EQ(f[0].dates.count("practical_latest"), 0u);  // Wednesday is a working day
  EXPECT_TRUE(contains(f[0].message, "Thursday 19 June 2025")) << f[0].message;
  EXPECT_TRUE(contains(f[0].message, "Wednesday 18 June 2025")) << f[0].message;
  EXPECT_TRUE(contains(f[0].message, "Thursday 17 July 2025")) << f[0].message;
  EXPECT_EQ(f[0].citation, "SI 2012/2089 reg 9");
}

TEST(ForwardPlanKd2, LatestDayAtAWeekendReportsThePracticalLatest) {
  // Decision Mon 21 Jul 2025: 21 Jul − 29 days = Sun 22 Jun; last working day on or before: Fri 20 Jun.
  KeyDecision k = compliant_decision();
  k.timing.date = D("2025-07-21");
  k.notice->published_on = D("2025-06-23");  // 24 Jun–20 Jul = 7 + 20 = 27 clear days
  auto f = of_rule(check_one(k, D("2025-07-01")), "KD-2");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kBreach);
  EXPECT_EQ(f[0].figures.at("clear_days"), 27);
  EXPECT_EQ(f[0].dates.at("required_by"), D("2025-06-22"));
  EXPECT_EQ(f[0].dates.at("practical_latest"), D("2025-06-20"));
  EXPECT_TRUE(contains(f[0].message, "Friday 20 June 2025")) << f[0].message;
}

TEST(ForwardPlanKd2, PeriodUsesItsFirstDay) {
  // Period 17–31 Jul 2025: the first day, 17 Jul, needs publication by 18 Jun.
  KeyDecision k = compliant_decision();
  k.timing.date.reset();
  k.timing.from = D("2025-07-17");
  k.timing.to = D("2025-07-31");
  k.notice->published_on = D("2025-06-19");
  auto f = of_rule(check_one(k, D("2025-07-01")), "KD-2");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kBreach);
  EXPECT_EQ(f[0].figures.at("clear_days"), 27);
}

TEST(ForwardPlanKd2, DecidedEarlierThanPlannedCountsToTheActualDay) {
  KeyDecision k = compliant_decision();
  k.decided_on = D("2025-07-16");  // 19 Jun–15 Jul = 12 + 15 = 27 clear days after 18 Jun
  auto f = of_rule(check_one(k, D("2025-07-20")), "KD-2");
  // Two breaches: too few clear days, and taken before the date the notice gave (17 Jul).
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::kBreach);
  EXPECT_EQ(f[0].figures.at("clear_days"), 27);
  EXPECT_EQ(f[1].severity, Severity::kBreach);
  EXPECT_EQ(f[1].dates.at("notified_from"), D("2025-07-17"));
}

TEST(ForwardPlanKd2, NoNoticeYetIsDueUntilTheLatestDay) {
  KeyDecision k = compliant_decision();
  k.notice.reset();
  auto f = of_rule(check_one(k, D("2025-06-18")), "KD-2");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_TRUE(contains(f[0].message, "Due: the notice of this key decision must be published by Wednesday 18 June 2025"))
      << f[0].message;
}

TEST(ForwardPlanKd2, NoNoticeIsABreachNamingTheDeadline) {
  KeyDecision k = compliant_decision();
  k.notice.reset();
  auto f = of_rule(check_one(k, D("2025-07-01")), "KD-2");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kBreach);
  EXPECT_EQ(f[0].dates.at("required_by"), D("2025-06-18"));
}

TEST(ForwardPlanKd2, ExceptionRouteReplacesTheNoticePeriod) {
  KeyDecision k = compliant_decision();
  k.notice->published_on = D("2025-07-10");
  k.general_exception = GeneralException{D("2025-07-09"), "Cllr Ben Okafor", D("2025-07-09"), D("2025-07-10")};
  auto f = of_rule(check_one(k, D("2025-07-01")), "KD-2");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_TRUE(contains(f[0].message, "general exception")) << f[0].message;
}

TEST(ForwardPlanKd2, EveryMissingReg9FieldIsNamed) {
  struct Case {
    const char* field;
    void (*remove)(Reg9Notice&);
  };
  const Case cases[] = {
      {"states_key_decision", [](Reg9Notice& n) { n.states_key_decision = false; }},
      {"matter", [](Reg9Notice& n) { n.matter.reset(); }},
      {"decision_maker", [](Reg9Notice& n) { n.decision_maker.reset(); }},
      {"date_or_period", [](Reg9Notice& n) { n.date_or_period.reset(); }},
      {"documents", [](Reg9Notice& n) { n.documents = std::vector<std::string>{}; }},
      {"documents_available_from", [](Reg9Notice& n) { n.documents_available_from.reset(); }},
      {"other_documents_statement", [](Reg9Notice& n) { n.other_documents_statement.reset(); }},
      {"how_to_request", [](Reg9Notice& n) { n.how_to_request = ""; }},
  };
  for (const auto& c : cases) {
    KeyDecision k = compliant_decision();
    c.remove(*k.notice);
    auto breaches = with_severity(check_one(k, D("2025-07-01")), "KD-2", Severity::kBreach);
    ASSERT_EQ(breaches.size(), 1u) << c.field;
    EXPECT_TRUE(contains(breaches[0].message, std::string("(field ") + c.field + ")")) << breaches[0].message;
  }
  // A body without members is an incomplete decision maker (an individual's title is needed only
  // "if any", reg 9(1)(c): see legal_fidelity_test).
  KeyDecision k = compliant_decision();
  k.notice->decision_maker = DecisionMaker{"", "", "Cabinet", {}};
  auto b = with_severity(check_one(k, D("2025-07-01")), "KD-2", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(contains(b[0].message, "members of the decision-making body Cabinet")) << b[0].message;
}

// ---------------------------------------------------------------- KD-3

KeyDecision general_exception_decision(const char* made_public, const char* decision) {
  KeyDecision k = compliant_decision();
  k.notice->published_on = D(made_public);
  k.timing.date = D(decision);
  k.notice->date_or_period = k.timing;
  k.general_exception = GeneralException{D(made_public), "Cllr Ben Okafor, chair of Overview and Scrutiny",
                                         D(made_public), std::nullopt};
  return k;
}

TEST(ForwardPlanKd3, FiveClearWorkingDaysOverTheSpringBankHoliday) {
  // Made public Thu 22 May 2025. Working days after it: Fri 23 (1); Sat 24, Sun 25 and Mon 26
  // (Spring bank holiday) do not count; Tue 27 (2), Wed 28 (3), Thu 29 (4), Fri 30 (5).
  // Decision Fri 30 May: only 4 clear working days. The latest day for Fri 30 May is Wed 21 May
  // (22, 23, 27, 28, 29 lie between).
  auto k = general_exception_decision("2025-05-22", "2025-05-30");
  auto f = of_rule(check_one(k, D("2025-05-23")), "KD-3");
  auto breaches = with_severity(f, "KD-3", Severity::kBreach);
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].figures.at("clear_days"), 4);
  EXPECT_EQ(breaches[0].figures.at("required_days"), 5);
  EXPECT_EQ(breaches[0].dates.at("required_by"), D("2025-05-21"));
  EXPECT_TRUE(contains(breaches[0].message, "made public on Thursday 22 May 2025")) << breaches[0].message;
  EXPECT_EQ(breaches[0].citation, "SI 2012/2089 reg 10");

  // Decision Mon 2 Jun: 23, 27, 28, 29, 30 May = 5 clear working days.
  k = general_exception_decision("2025-05-22", "2025-06-02");
  f = of_rule(check_one(k, D("2025-05-23")), "KD-3");
  EXPECT_TRUE(with_severity(f, "KD-3", Severity::kBreach).empty());
  bool saw_five = false;
  for (const auto& x : f) {
    if (x.figures.count("clear_days")) saw_five = x.figures.at("clear_days") == 5;
  }
  EXPECT_TRUE(saw_five);
}

TEST(ForwardPlanKd3, FiveClearWorkingDaysOverAWeekend) {
  // Made public Thu 5 Jun 2025; decision Thu 12 Jun: Fri 6, Mon 9, Tue 10, Wed 11 = 4 → breach,
  // latest day Wed 4 Jun (5, 6, 9, 10, 11 between). Decision Fri 13 Jun: 6, 9, 10, 11, 12 = 5 → pass.
  auto k = general_exception_decision("2025-06-05", "2025-06-12");
  auto b = with_severity(check_one(k, D("2025-06-06")), "KD-3", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].figures.at("clear_days"), 4);
  EXPECT_EQ(b[0].dates.at("required_by"), D("2025-06-04"));
  k = general_exception_decision("2025-06-05", "2025-06-13");
  EXPECT_TRUE(with_severity(check_one(k, D("2025-06-06")), "KD-3", Severity::kBreach).empty());
}

TEST(ForwardPlanKd3, ReasonsNoticeDueBeforeTheDecisionAndABreachAfter) {
  auto k = general_exception_decision("2025-06-05", "2025-06-13");
  auto before = of_rule(check_one(k, D("2025-06-12")), "KD-3");
  bool due = false;
  for (const auto& f : before) due = due || (f.severity == Severity::kInfo && contains(f.message, "Due: a notice of the reasons"));
  EXPECT_TRUE(due);
  auto after = with_severity(check_one(k, D("2025-06-13")), "KD-3", Severity::kBreach);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_TRUE(contains(after[0].message, "No notice of the reasons")) << after[0].message;
  // Recording decided_on makes it due at once, whatever as_of says.
  k.decided_on = D("2025-06-13");
  EXPECT_EQ(with_severity(check_one(k, D("2025-06-01")), "KD-3", Severity::kBreach).size(), 1u);
  k.general_exception->reasons_notice_published_on = D("2025-06-13");
  EXPECT_TRUE(with_severity(check_one(k, D("2025-06-20")), "KD-3", Severity::kBreach).empty());
}

TEST(ForwardPlanKd3, ChairNotNotifiedAndNotMadePublic) {
  auto k = general_exception_decision("2025-06-05", "2025-06-13");
  k.general_exception->chair_of_scrutiny_notified_on.reset();
  k.general_exception->made_public_on.reset();
  k.general_exception->reasons_notice_published_on = D("2025-06-13");
  auto b = with_severity(check_one(k, D("2025-06-20")), "KD-3", Severity::kBreach);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_TRUE(contains(b[0].message, "chair of the relevant overview and scrutiny committee")) << b[0].message;
  EXPECT_TRUE(contains(b[1].message, "not recorded as made public")) << b[1].message;
  // Latest day to make it public for Fri 13 Jun: 12, 11, 10, 9, 6 Jun counted back → Thu 5 Jun.
  EXPECT_EQ(b[1].dates.at("required_by"), D("2025-06-05"));
}

// ---------------------------------------------------------------- KD-4

KeyDecision urgent_decision(UrgencyRole role, const char* agreed_on, std::string why = "") {
  KeyDecision k = compliant_decision();
  k.notice.reset();
  k.timing.date = D("2025-07-17");
  k.special_urgency = UrgencyAgreement{role, "Cllr Chris Doe", D(agreed_on), std::move(why), D("2025-07-17")};
  return k;
}

TEST(ForwardPlanKd4, OverviewAndScrutinyChairAgreeingBeforehandPasses) {
  auto all = check_one(urgent_decision(UrgencyRole::kOverviewAndScrutinyChair, "2025-07-16"), D("2025-07-18"));
  EXPECT_TRUE(with_severity(all, "KD-4", Severity::kBreach).empty());
  EXPECT_TRUE(with_severity(all, "KD-4", Severity::kWarning).empty());
  // KD-2 reports that the route replaces the notice rather than a breach.
  auto kd2 = of_rule(all, "KD-2");
  ASSERT_EQ(kd2.size(), 1u);
  EXPECT_EQ(kd2[0].severity, Severity::kInfo);
  EXPECT_TRUE(contains(kd2[0].message, "special urgency")) << kd2[0].message;
}

TEST(ForwardPlanKd4, LowerRoleWithoutReasonIsAWarning) {
  auto w = with_severity(check_one(urgent_decision(UrgencyRole::kChairOfCouncil, "2025-07-16"), D("2025-07-18")),
                         "KD-4", Severity::kWarning);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(contains(w[0].message, "the chair of the council")) << w[0].message;
  w = with_severity(check_one(urgent_decision(UrgencyRole::kViceChairOfCouncil, "2025-07-16"), D("2025-07-18")),
                    "KD-4", Severity::kWarning);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(contains(w[0].message, "the chair of the overview and scrutiny committee or the chair of the council"))
      << w[0].message;
  // With the reason recorded, no warning.
  w = with_severity(check_one(urgent_decision(UrgencyRole::kViceChairOfCouncil, "2025-07-16",
                                              "The scrutiny chair and the chair of the council were abroad"),
                              D("2025-07-18")),
                    "KD-4", Severity::kWarning);
  EXPECT_TRUE(w.empty());
}

TEST(ForwardPlanKd4, AgreementAfterTheDecisionIsABreach) {
  auto b = with_severity(check_one(urgent_decision(UrgencyRole::kOverviewAndScrutinyChair, "2025-07-18"), D("2025-07-20")),
                         "KD-4", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(contains(b[0].message, "after the decision on Thursday 17 July 2025")) << b[0].message;
  // Agreement on the day of the decision is on or before it: fine.
  EXPECT_TRUE(with_severity(check_one(urgent_decision(UrgencyRole::kOverviewAndScrutinyChair, "2025-07-17"), D("2025-07-20")),
                            "KD-4", Severity::kBreach)
                  .empty());
}

TEST(ForwardPlanKd4, MissingReasonsNoticeAfterTheDecision) {
  auto k = urgent_decision(UrgencyRole::kOverviewAndScrutinyChair, "2025-07-16");
  k.special_urgency->reasons_notice_published_on.reset();
  EXPECT_EQ(with_severity(check_one(k, D("2025-07-17")), "KD-4", Severity::kBreach).size(), 1u);
  EXPECT_TRUE(with_severity(check_one(k, D("2025-07-16")), "KD-4", Severity::kBreach).empty());
}

// ---------------------------------------------------------------- KD-5

TEST(ForwardPlanKd5, UnreportedAfterTwelveMonthsIsABreach) {
  ForwardPlan plan;
  auto k = urgent_decision(UrgencyRole::kOverviewAndScrutinyChair, "2024-03-08");
  k.timing.date = D("2024-03-10");
  k.decided_on = D("2024-03-10");
  plan.key_decisions.push_back(k);
  // Taken 10 Mar 2024 → due by 10 Mar 2025. On 10 Mar 2025 it is due; on 11 Mar it is overdue.
  auto on_due = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-03-10")), "KD-5");
  ASSERT_EQ(on_due.size(), 1u);
  EXPECT_EQ(on_due[0].severity, Severity::kInfo);
  EXPECT_EQ(on_due[0].dates.at("required_by"), D("2025-03-10"));
  auto late = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-03-11")), "KD-5");
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].severity, Severity::kBreach);
  EXPECT_TRUE(contains(late[0].message, "Monday 10 March 2025")) << late[0].message;
  EXPECT_EQ(late[0].citation, "SI 2012/2089 reg 19");

  // A report dated before the decision does not count; one after it does.
  plan.urgency_reports.push_back(UrgencyReport{"r-1", D("2024-03-01"), {"kd-1"}});
  EXPECT_EQ(of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-04-01")), "KD-5")[0].severity,
            Severity::kBreach);
  plan.urgency_reports.push_back(UrgencyReport{"r-2", D("2025-01-15"), {"kd-1"}});
  auto ok = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-04-01")), "KD-5");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].severity, Severity::kInfo);
  EXPECT_EQ(ok[0].dates.at("reported"), D("2025-01-15"));
}

TEST(ForwardPlanKd5, PolicyMonthsAndMonthEnd) {
  // 31 Aug 2024 + 6 months = 28 Feb 2025 (clamped); + 18 months = 28 Feb 2026; 29 Feb 2024 + 12 = 28 Feb 2025.
  EXPECT_EQ(add_months(D("2024-08-31"), 6), D("2025-02-28"));
  EXPECT_EQ(add_months(D("2024-02-29"), 12), D("2025-02-28"));
  EXPECT_EQ(add_months(D("2023-11-30"), 3), D("2024-02-29"));
  EXPECT_EQ(add_months(D("2024-12-15"), 1), D("2025-01-15"));
  CharterPolicy p = CharterPolicy::defaults();
  p.urgency_report_months = 6;
  auto k = urgent_decision(UrgencyRole::kOverviewAndScrutinyChair, "2024-08-30");
  k.timing.date = D("2024-08-31");
  auto f = of_rule(check_one(k, D("2025-03-01"), p), "KD-5");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kBreach);
  EXPECT_EQ(f[0].dates.at("required_by"), D("2025-02-28"));
}

TEST(ForwardPlanKd5, NotYetTakenHasNoFinding) {
  auto k = urgent_decision(UrgencyRole::kOverviewAndScrutinyChair, "2025-07-16");
  EXPECT_TRUE(of_rule(check_one(k, D("2025-07-16")), "KD-5").empty());
}

// ---------------------------------------------------------------- KD-6

TEST(ForwardPlanKd6, OverdueLateAndOnTime) {
  ForwardPlan plan;
  plan.scrutiny_referrals.push_back(ScrutinyReferral{"kd-9", D("2025-09-01"), D("2025-09-30"), std::nullopt});
  auto due = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-09-30")), "KD-6");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].severity, Severity::kInfo);
  auto overdue = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-10-01")), "KD-6");
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].severity, Severity::kBreach);
  EXPECT_EQ(overdue[0].subject_id, "kd-9");
  EXPECT_TRUE(contains(overdue[0].message, "Tuesday 30 September 2025")) << overdue[0].message;
  EXPECT_EQ(overdue[0].citation, "SI 2012/2089 reg 18");

  plan.scrutiny_referrals[0].reported_on = D("2025-10-02");
  auto late = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-10-05")), "KD-6");
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].severity, Severity::kBreach);
  EXPECT_TRUE(contains(late[0].message, "late")) << late[0].message;
  plan.scrutiny_referrals[0].reported_on = D("2025-09-30");
  EXPECT_EQ(of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-10-05")), "KD-6")[0].severity,
            Severity::kInfo);
}

// ---------------------------------------------------------------- PM-1 / PM-2

Meeting private_meeting(const char* intention, const char* further) {
  Meeting m;
  m.id = "cab-2025-07-15";
  m.body = "Cabinet";
  m.date = D("2025-07-15");  // Tuesday
  m.is_private = true;
  m.intention_notice_published_on = D(intention);
  m.intention_notice_reasons = "Exempt information: paragraph 3 of Schedule 12A (commercial tender prices).";
  m.further_notice = FurtherNotice{D(further), std::vector<std::string>{}, "", m.intention_notice_reasons};
  return m;
}

TEST(ForwardPlanPrivateMeeting, TwentyEightClearDaysOfIntention) {
  // Tue 15 Jul 2025 − 29 days = Mon 16 Jun: 17–30 Jun (14) + 1–14 Jul (14) = 28 clear days.
  auto all = check_meeting(private_meeting("2025-06-16", "2025-07-07"), D("2025-07-01"));
  EXPECT_FALSE(has_breach(all));
  auto pm1 = of_rule(all, "PM-1");
  ASSERT_EQ(pm1.size(), 1u);
  EXPECT_EQ(pm1[0].figures.at("clear_days"), 28);
  // Tue 17 Jun gives 27.
  auto b = with_severity(check_meeting(private_meeting("2025-06-17", "2025-07-07"), D("2025-07-01")), "PM-1",
                         Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].figures.at("clear_days"), 27);
  EXPECT_EQ(b[0].dates.at("required_by"), D("2025-06-16"));
  EXPECT_EQ(b[0].citation, "SI 2012/2089 reg 5(2)–(3)");
}

TEST(ForwardPlanPrivateMeeting, FiveClearWorkingDaysOfFurtherNoticeOverAWeekend) {
  // Meeting Tue 15 Jul 2025. Counting back: Mon 14, Fri 11, Thu 10, Wed 9, Tue 8 → latest Mon 7 Jul.
  // Published Tue 8 Jul: Wed 9, Thu 10, Fri 11, Mon 14 = 4 clear working days.
  auto b = with_severity(check_meeting(private_meeting("2025-06-16", "2025-07-08"), D("2025-07-01")), "PM-2",
                         Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].figures.at("clear_days"), 4);
  EXPECT_EQ(b[0].dates.at("required_by"), D("2025-07-07"));
  EXPECT_EQ(b[0].citation, "SI 2012/2089 reg 5(4)–(5)");
}

TEST(ForwardPlanPrivateMeeting, FurtherNoticeOverTheSummerBankHoliday) {
  // Meeting Tue 2 Sep 2025. Counting back working days: Mon 1 Sep, Fri 29, Thu 28, Wed 27,
  // Tue 26 Aug → the latest day is Mon 25 Aug, the Summer bank holiday; in practice Fri 22 Aug.
  Meeting m = private_meeting("2025-08-01", "2025-08-22");
  m.date = D("2025-09-02");
  auto ok = of_rule(check_meeting(m, D("2025-08-20")), "PM-2");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].severity, Severity::kInfo);
  EXPECT_EQ(ok[0].figures.at("clear_days"), 5);
  m.further_notice->published_on = D("2025-08-25");  // the bank holiday itself: 26, 27, 28, 29 Aug, 1 Sep = 5
  EXPECT_EQ(of_rule(check_meeting(m, D("2025-08-20")), "PM-2")[0].figures.at("clear_days"), 5);
  m.further_notice->published_on = D("2025-08-26");  // 27, 28, 29 Aug, 1 Sep = 4
  auto b = of_rule(check_meeting(m, D("2025-08-20")), "PM-2");
  EXPECT_EQ(b[0].severity, Severity::kBreach);
  EXPECT_EQ(b[0].figures.at("clear_days"), 4);
  EXPECT_EQ(b[0].dates.at("required_by"), D("2025-08-25"));
  EXPECT_EQ(b[0].dates.at("practical_latest"), D("2025-08-22"));
}

TEST(ForwardPlanPrivateMeeting, RepresentationsNeedAResponse) {
  Meeting m = private_meeting("2025-06-16", "2025-07-07");
  m.further_notice->representations_received = std::vector<std::string>{"Residents' association asks for an open meeting"};
  auto b = with_severity(check_meeting(m, D("2025-07-01")), "PM-2", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(contains(b[0].message, "no response")) << b[0].message;
  m.further_notice->response = "The report contains commercially sensitive tender prices.";
  EXPECT_TRUE(with_severity(check_meeting(m, D("2025-07-01")), "PM-2", Severity::kBreach).empty());
  m.further_notice->representations_received.reset();
  b = with_severity(check_meeting(m, D("2025-07-01")), "PM-2", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(contains(b[0].message, "whether any representations were received")) << b[0].message;
}

TEST(ForwardPlanPrivateMeeting, UrgencyRouteReplacesBothNotices) {
  Meeting m;
  m.id = "cab-urgent";
  m.body = "Cabinet";
  m.date = D("2025-07-15");
  m.is_private = true;
  m.wholly_private = true;  // no open part, so no public notice or agenda is due (see legal_fidelity_test)
  m.urgency = UrgencyAgreement{UrgencyRole::kChairOfCouncil, "Cllr Dee Evans", D("2025-07-14"), "", D("2025-07-14")};
  auto all = check_meeting(m, D("2025-07-20"));
  EXPECT_FALSE(has_breach(all));
  EXPECT_EQ(with_severity(all, "PM-1", Severity::kWarning).size(), 1u);  // no reason the O&S chair could not act
  EXPECT_EQ(of_rule(all, "PM-2").size(), 1u);
  EXPECT_EQ(of_rule(all, "PM-2")[0].severity, Severity::kInfo);
  EXPECT_TRUE(of_rule(all, "MEET-5").empty());
  m.urgency->agreed_on = D("2025-07-16");
  EXPECT_EQ(with_severity(check_meeting(m, D("2025-07-20")), "PM-1", Severity::kBreach).size(), 1u);
}

// ---------------------------------------------------------------- MEET-5

Meeting public_meeting(const char* date, const char* notice, const char* agenda) {
  Meeting m;
  m.id = "council";
  m.body = "Full Council";
  m.date = D(date);
  m.notice_published_on = D(notice);
  m.agenda_published_on = D(agenda);
  return m;
}

TEST(ForwardPlanMeet5, WeekendInsideTheWindow) {
  // Meeting Wed 4 Jun 2025. Back: Tue 3, Mon 2, Fri 30 May, Thu 29, Wed 28 → latest Tue 27 May.
  auto all = check_meeting(public_meeting("2025-06-04", "2025-05-27", "2025-05-27"), D("2025-05-20"));
  auto f = of_rule(all, "MEET-5");
  ASSERT_EQ(f.size(), 2u);
  for (const auto& x : f) {
    EXPECT_EQ(x.severity, Severity::kInfo);
    EXPECT_EQ(x.figures.at("clear_days"), 5);
  }
  // Agenda on Wed 28 May: 29, 30 May, 2, 3 Jun = 4.
  auto b = with_severity(check_meeting(public_meeting("2025-06-04", "2025-05-27", "2025-05-28"), D("2025-05-20")),
                         "MEET-5", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(contains(b[0].message, "The agenda")) << b[0].message;
  EXPECT_EQ(b[0].figures.at("clear_days"), 4);
  EXPECT_EQ(b[0].dates.at("required_by"), D("2025-05-27"));
  EXPECT_EQ(b[0].citation, "SI 2012/2089 regs 6 and 7");
}

TEST(ForwardPlanMeet5, LatestDayOnASundayHasAPracticalLatestFriday) {
  // Meeting Mon 16 Jun 2025. Back: Fri 13, Thu 12, Wed 11, Tue 10, Mon 9 → latest Sun 8 Jun; in
  // practice Fri 6 Jun. Published Sun 8 Jun → 5 clear working days (9–13 Jun): passes.
  auto f = of_rule(check_meeting(public_meeting("2025-06-16", "2025-06-08", "2025-06-09"), D("2025-06-01")), "MEET-5");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_EQ(f[0].figures.at("clear_days"), 5);
  EXPECT_EQ(f[1].severity, Severity::kBreach);
  EXPECT_EQ(f[1].figures.at("clear_days"), 4);
  EXPECT_EQ(f[1].dates.at("required_by"), D("2025-06-08"));
  EXPECT_EQ(f[1].dates.at("practical_latest"), D("2025-06-06"));
  EXPECT_TRUE(contains(f[1].message, "Sunday 8 June 2025, in practice Friday 6 June 2025")) << f[1].message;
}

TEST(ForwardPlanMeet5, DesignExample1990) {
  // Meeting Tue 1 May 1990, notice Thu 26 Apr 1990: 4 clear calendar days but only 2 clear working
  // days (Fri 27 Apr, Mon 30 Apr).
  auto b = with_severity(check_meeting(public_meeting("1990-05-01", "1990-04-26", "1990-04-26"), D("1990-04-27")),
                         "MEET-5", Severity::kBreach);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].figures.at("clear_days"), 2);
}

TEST(ForwardPlanMeet5, MissingAgendaIsDueUntilTheLatestDayThenABreach) {
  // Meeting Wed 4 Jun 2025: latest day Tue 27 May (see WeekendInsideTheWindow).
  Meeting m = public_meeting("2025-06-04", "2025-05-27", "2025-05-27");
  m.agenda_published_on.reset();
  auto due = of_rule(check_meeting(m, D("2025-05-27")), "MEET-5");
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[1].severity, Severity::kInfo);
  EXPECT_TRUE(contains(due[1].message, "Due: the agenda must be published by Tuesday 27 May 2025")) << due[1].message;
  EXPECT_EQ(due[1].dates.at("required_by"), D("2025-05-27"));
  auto b = with_severity(check_meeting(m, D("2025-05-28")), "MEET-5", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(contains(b[0].message, "not recorded as published")) << b[0].message;
  EXPECT_EQ(b[0].dates.at("required_by"), D("2025-05-27"));
}

TEST(ForwardPlanMeet5, PublishedOnTheDayIsNotBefore) {
  auto b = with_severity(check_meeting(public_meeting("2025-06-04", "2025-06-04", "2025-06-05"), D("2025-06-10")),
                         "MEET-5", Severity::kBreach);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].figures.at("clear_days"), 0);
  EXPECT_TRUE(contains(b[0].message, "not before the meeting on Wednesday 4 June 2025")) << b[0].message;
}

TEST(ForwardPlanMeet5, RegionDecidesWhichBankHolidaysCount) {
  // Meeting Wed 6 Aug 2025, notice and agenda Tue 29 Jul. England and Wales: Wed 30, Thu 31 Jul,
  // Fri 1, Mon 4, Tue 5 Aug = 5 clear working days. Scotland: Mon 4 Aug is the Summer bank holiday
  // (first Monday in August), so only 4.
  ForwardPlan plan;
  plan.meetings.push_back(public_meeting("2025-08-06", "2025-07-29", "2025-07-29"));
  CharterPolicy scotland = CharterPolicy::defaults();
  scotland.region = Region::kScotland;
  auto ew = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-07-01")), "MEET-5");
  ASSERT_EQ(ew.size(), 2u);
  EXPECT_EQ(ew[0].severity, Severity::kInfo);
  EXPECT_EQ(ew[0].figures.at("clear_days"), 5);
  auto sc = of_rule(check_forward_plan(plan, scotland, D("2025-07-01")), "MEET-5");
  ASSERT_EQ(sc.size(), 2u);
  EXPECT_EQ(sc[0].severity, Severity::kBreach);
  EXPECT_EQ(sc[0].figures.at("clear_days"), 4);
  // Scotland's latest day: back from 6 Aug over Tue 5, Fri 1, Thu 31, Wed 30, Tue 29 → Mon 28 Jul.
  EXPECT_EQ(sc[0].dates.at("required_by"), D("2025-07-28"));
}

TEST(ForwardPlanFindings, JsonShape) {
  KeyDecision k = compliant_decision();
  k.notice->published_on = D("2025-06-19");
  auto j = findings_to_json(check_one(k, D("2025-07-01")));
  ASSERT_TRUE(j["findings"].is_array());
  bool found = false;
  for (const auto& f : j["findings"]) {
    if (f["rule"] == "KD-2" && f["severity"] == "breach") {
      found = true;
      EXPECT_EQ(f["dates"]["required_by"], "2025-06-18");
      EXPECT_EQ(f["dates"]["published"], "2025-06-19");
      EXPECT_EQ(f["figures"]["clear_days"], 27);
      EXPECT_EQ(f["subject"]["kind"], "key_decision");
      EXPECT_EQ(f["subject"]["id"], "kd-1");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(j["summary"]["breach"], 1);
}

}  // namespace
}  // namespace townhall
