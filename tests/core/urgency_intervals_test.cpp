// KD-5 as reg 19 of SI 2012/2089 puts it: the leader reports the special-urgency decisions to full
// council at least annually, each report covering the decisions since the last. The council's
// policy sets its reporting intervals (at most a year, from the first day of its reporting year,
// 1 May by default); an interval that ends with no report while a decision was already waiting as
// it began means more than a year passed without the report. Dates worked out by hand.
#include <gtest/gtest.h>

#include "forward_plan_test_util.h"
#include "store_test_util.h"
#include "townhall/charter/policy.h"
#include "townhall/compliance/register.h"
#include "townhall/forward_plan/forward_plan_rules.h"

namespace townhall {
namespace {

using fptest::compliant_decision;
using fptest::D;

// A special-urgency decision taken on `taken` (the O&S chair agreed the day before).
KeyDecision urgent(const char* id, const char* taken) {
  KeyDecision k = compliant_decision();
  k.id = id;
  k.notice.reset();
  k.timing.date = D(taken);
  k.decided_on = D(taken);
  k.special_urgency = UrgencyAgreement{UrgencyRole::kOverviewAndScrutinyChair, "Cllr Ben Okafor",
                                       D(taken).minus_days(1), "", D(taken)};
  return k;
}

std::vector<Finding> intervals(const std::vector<Finding>& all) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.rule == "KD-5" && f.subject_kind == "urgency_report") out.push_back(f);
  }
  return out;
}

TEST(Reg19Intervals, YearlyFromTheFirstOfMayByDefaultAndShorterIntervalsWithinTheYear) {
  CharterPolicy p = CharterPolicy::defaults();
  auto y = urgency_reporting_intervals(p, D("2024-03-10"), D("2025-06-01"));
  ASSERT_EQ(y.size(), 3u);
  EXPECT_EQ(y[0].first, D("2023-05-01"));
  EXPECT_EQ(y[0].last, D("2024-04-30"));
  EXPECT_EQ(y[1].first, D("2024-05-01"));
  EXPECT_EQ(y[2].last, D("2026-04-30"));
  // Quarterly from 1 April (the financial year).
  p.urgency_report_months = 3;
  p.urgency_reporting_year_start_month = 4;
  auto q = urgency_reporting_intervals(p, D("2025-01-15"), D("2025-07-01"));
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].first, D("2025-01-01"));
  EXPECT_EQ(q[0].last, D("2025-03-31"));
  EXPECT_EQ(q[2].first, D("2025-07-01"));
  EXPECT_EQ(q[2].last, D("2025-09-30"));
  // Five months from 1 May: May–Sep, Oct–Feb, then March–April until the next year starts.
  p.urgency_report_months = 5;
  p.urgency_reporting_year_start_month = 5;
  auto f = urgency_reporting_intervals(p, D("2025-05-01"), D("2026-04-30"));
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[1].last, D("2026-02-28"));
  EXPECT_EQ(f[2].first, D("2026-03-01"));
  EXPECT_EQ(f[2].last, D("2026-04-30"));
}

TEST(Reg19Intervals, AYearEndingWithoutAReportWhileADecisionWaitedIsABreach) {
  // Taken Sun 10 Mar 2024, in the year to 30 Apr 2024; it may wait for the year from 1 May 2024.
  ForwardPlan plan;
  plan.key_decisions.push_back(urgent("kd-1", "2024-03-10"));
  EXPECT_TRUE(intervals(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-04-30"))).empty());
  // On 1 May 2025 that year has ended with no report: more than a year without one.
  auto b = intervals(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-05-01")));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].severity, Severity::kBreach);
  EXPECT_EQ(b[0].subject_id, "2024-05-01/2025-04-30");
  EXPECT_EQ(b[0].citation, "SI 2012/2089 reg 19");
  EXPECT_EQ(b[0].dates.at("interval_to"), D("2025-04-30"));
  EXPECT_NE(b[0].message.find("every 12 months"), std::string::npos) << b[0].message;
  EXPECT_NE(b[0].message.find("decision kd-1 was waiting"), std::string::npos) << b[0].message;
  // A report in that year, on Wed 15 Jan 2025, meets it.
  plan.urgency_reports.push_back(UrgencyReport{"council-2025-01", D("2025-01-15"), {"kd-1"}});
  EXPECT_TRUE(intervals(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-06-01"))).empty());
}

TEST(Reg19Intervals, ADecisionReportedBeforeTheIntervalIsNotWaiting) {
  // Taken 10 Mar 2024 and reported 20 Apr 2024: nothing waits in the year from 1 May 2024, which
  // therefore needs no report.
  ForwardPlan plan;
  plan.key_decisions.push_back(urgent("kd-1", "2024-03-10"));
  plan.urgency_reports.push_back(UrgencyReport{"council-2024-04", D("2024-04-20"), {"kd-1"}});
  EXPECT_TRUE(intervals(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-06-01"))).empty());
  // Two waiting: both named.
  plan.urgency_reports.clear();
  plan.key_decisions.push_back(urgent("kd-2", "2024-04-02"));
  auto b = intervals(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-06-01")));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NE(b[0].message.find("decisions kd-1 and kd-2 were waiting"), std::string::npos) << b[0].message;
  EXPECT_EQ(b[0].figures.at("decisions_waiting"), 2);
}

TEST(Reg19Intervals, QuarterlyReportingIsCheckedQuarterByQuarter) {
  // The council reports quarterly from 1 April. Taken Mon 3 Feb 2025 (quarter to 31 Mar); the
  // quarter from 1 Apr to 30 Jun 2025 passes without a report.
  CharterPolicy p = CharterPolicy::defaults();
  p.urgency_report_months = 3;
  p.urgency_reporting_year_start_month = 4;
  ForwardPlan plan;
  plan.key_decisions.push_back(urgent("kd-1", "2025-02-03"));
  auto b = intervals(check_forward_plan(plan, p, D("2025-07-01")));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].subject_id, "2025-04-01/2025-06-30");
  EXPECT_NE(b[0].message.find("every 3 months"), std::string::npos) << b[0].message;
}

TEST(Reg19Intervals, ACsvPlanHasNoReportsSoOnlyTheCouldNotCheckWarningIsGiven) {
  ForwardPlan plan;
  plan.key_decisions.push_back(urgent("kd-1", "2024-03-10"));
  plan.records_urgency_reports = false;
  auto all = check_forward_plan(plan, CharterPolicy::defaults(), D("2025-06-01"));
  EXPECT_TRUE(intervals(all).empty());
  auto kd5 = fptest::of_rule(all, "KD-5");
  ASSERT_EQ(kd5.size(), 1u);
  EXPECT_EQ(kd5[0].severity, Severity::kWarning);
}

TEST(Reg19Intervals, ThePolicyNamesTheSettingItRefuses) {
  // Longer than a year is laxer than reg 19.
  auto year = CharterPolicy::from_json(nlohmann::json::parse(R"({"key_decisions": {"urgency_report_months": 13}})"));
  ASSERT_FALSE(year.ok());
  EXPECT_EQ(year.error().field, "/key_decisions/urgency_report_months");
  // A start day that not every year has, or no day at all.
  for (const char* bad : {"02-29", "04-31", "13-01", "5-1"}) {
    auto p = CharterPolicy::from_json({{"key_decisions", {{"urgency_reporting_year_starts", bad}}}});
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.error().field, "/key_decisions/urgency_reporting_year_starts") << bad;
  }
  auto ok = CharterPolicy::from_json({{"key_decisions", {{"urgency_reporting_year_starts", "04-01"}}}});
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  EXPECT_EQ(ok->urgency_reporting_year_start_month, 4u);
  EXPECT_EQ(ok->to_json()["key_decisions"]["urgency_reporting_year_starts"], "04-01");
}

TEST(Reg19Intervals, TheLiveRegisterIsCheckedTheSameWay) {
  testing_store::TempDb db;
  auto store = testing_store::open_ok(db.path());
  const Actor gwen{"user:2 (Gwen, governance)", Role::kGovernance};
  ForwardPlan plan;
  plan.key_decisions.push_back(urgent("kd-1", "2024-03-10"));
  const nlohmann::json doc = forward_plan_to_json(plan)["key_decisions"][0];
  auto r = record_in_register(*store, RecordKind::kKeyDecision, "kd-1", doc, gwen);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  auto live = check_register(*store, CharterPolicy::defaults(), D("2025-05-01"));
  ASSERT_TRUE(live.ok());
  auto b = intervals(live->findings);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].subject_id, "2024-05-01/2025-04-30");
}

}  // namespace
}  // namespace townhall
