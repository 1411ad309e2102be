// Consultation rules (docs/design.md §2.3). Expected dates are worked by hand from the rules.
#include "townhall/consultations/consultation_rules.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace townhall {
namespace {

Date D(const char* iso) { return *Date::parse(iso); }

Consultation big(const char* opens, const char* closes) {
  Consultation c;
  c.id = "c1";
  c.title = "Library opening hours";
  c.big_decision = true;
  c.opens = D(opens);
  c.closes = D(closes);
  c.proposal = "Open libraries later on weekdays.";
  c.reasons = "Visits before 10am are few.";
  c.options_considered = {{"Shorter Saturday hours", true, "Saturday is the busiest day"}, {"Later weekday opening", false, ""}};
  c.channels = {Channel::kOnline, Channel::kPaper};
  return c;
}

std::vector<Finding> of_rule(const std::vector<Finding>& fs, const std::string& rule) {
  std::vector<Finding> out;
  std::copy_if(fs.begin(), fs.end(), std::back_inserter(out), [&](const Finding& f) { return f.rule == rule; });
  return out;
}

const CharterPolicy kPolicy = CharterPolicy::defaults();
const Date kAsOf = D("2025-01-01");

TEST(PlanClose, DesignExampleChristmas) {
  // Six weeks from Mon 1 Dec 2025 closes Sun 11 Jan 2026; 24 Dec–1 Jan is 9 holiday days inside;
  // the earliest close with length ≥ 56 and ≥ 42 days outside windows is Sun 25 Jan 2026.
  const ClosePlan p = plan_close(D("2025-12-01"), 6, kPolicy);
  EXPECT_EQ(p.base_close, D("2026-01-11"));
  EXPECT_EQ(p.close, D("2026-01-25"));
  EXPECT_EQ(p.holiday_days, 9);
  EXPECT_EQ(p.length_days, 56);
  EXPECT_TRUE(p.extended);
}

TEST(PlanClose, NewYearSubstituteLengthensTheWindow) {
  // 1 Jan 2022 was a Saturday: the New Year bank holiday was Mon 3 Jan, so the window is
  // 24 Dec 2021–3 Jan 2022 = 11 days. Opening Mon 6 Dec 2021: base close Sun 16 Jan 2022;
  // 56 days gives 45 outside the window → close Sun 30 Jan 2022.
  const ClosePlan p = plan_close(D("2021-12-06"), 6, kPolicy);
  EXPECT_EQ(p.base_close, D("2022-01-16"));
  EXPECT_EQ(p.holiday_days, 11);
  EXPECT_EQ(p.close, D("2022-01-30"));
}

TEST(PlanClose, AugustNeedsMoreThanFourteenExtraDays) {
  // Opening Fri 1 Aug 2025: all 31 August days are holiday, so 42 outside days need 73 days in all
  // → close Sun 12 Oct 2025.
  const ClosePlan p = plan_close(D("2025-08-01"), 6, kPolicy);
  EXPECT_EQ(p.base_close, D("2025-09-11"));
  EXPECT_EQ(p.close, D("2025-10-12"));
  EXPECT_EQ(p.holiday_days, 31);
  EXPECT_EQ(p.length_days, 73);
}

TEST(PlanClose, PartialOverlapAndNoOverlap) {
  // Opening Mon 14 Jul 2025: 18 July days outside, August all holiday, then 24 September days →
  // 73 days, close Wed 24 Sep 2025.
  EXPECT_EQ(plan_close(D("2025-07-14"), 6, kPolicy).close, D("2025-09-24"));
  // 3 Mar 2025 + 41 days = Sun 13 Apr, no window: unchanged.
  const ClosePlan p = plan_close(D("2025-03-03"), 6, kPolicy);
  EXPECT_EQ(p.close, D("2025-04-13"));
  EXPECT_FALSE(p.extended);
  EXPECT_EQ(p.holiday_days, 0);
}

TEST(PlanClose, ExtensionCanBeSwitchedOff) {
  CharterPolicy off = CharterPolicy::defaults();
  off.holiday_extension = false;
  EXPECT_EQ(plan_close(D("2025-12-01"), 6, off).close, D("2026-01-11"));
}

TEST(ConsultationRules, SixWeeksExactlyPassesOneDayLessFails) {
  // Mon 3 Mar 2025 to Sun 13 Apr 2025 is 42 days.
  auto ok = check_consultation(big("2025-03-03", "2025-04-13"), kPolicy, kAsOf);
  EXPECT_TRUE(of_rule(ok, "C-MIN").empty());
  EXPECT_FALSE(has_breach(ok));
  auto short1 = check_consultation(big("2025-03-03", "2025-04-12"), kPolicy, kAsOf);
  auto cmin = of_rule(short1, "C-MIN");
  ASSERT_EQ(cmin.size(), 1u);
  EXPECT_EQ(cmin[0].severity, Severity::kBreach);
  EXPECT_EQ(cmin[0].dates.at("required_close"), D("2025-04-13"));
  EXPECT_EQ(cmin[0].figures.at("length_days"), 41);
}

TEST(ConsultationRules, FiveWeeksIsRefusedUnlessUrgencyRecorded) {
  Consultation c = big("2025-03-03", "2025-04-06");  // 35 days
  EXPECT_TRUE(has_breach(check_consultation(c, kPolicy, kAsOf)));
  c.urgency_reason = "Government deadline for the bid is 10 April.";
  auto fs = check_consultation(c, kPolicy, kAsOf);
  EXPECT_FALSE(has_breach(fs));
  ASSERT_EQ(of_rule(fs, "C-MIN").size(), 1u);
  EXPECT_EQ(of_rule(fs, "C-MIN")[0].severity, Severity::kInfo);
}

TEST(ConsultationRules, ChristmasNeedsTheExtendedCloseDate) {
  auto fs = check_consultation(big("2025-12-01", "2026-01-11"), kPolicy, kAsOf);
  auto ext = of_rule(fs, "C-EXT");
  ASSERT_EQ(ext.size(), 1u);
  EXPECT_EQ(ext[0].severity, Severity::kBreach);
  EXPECT_EQ(ext[0].dates.at("required_close"), D("2026-01-25"));
  EXPECT_EQ(ext[0].figures.at("holiday_days"), 9);
  auto fixed = check_consultation(big("2025-12-01", "2026-01-25"), kPolicy, kAsOf);
  EXPECT_FALSE(has_breach(fixed));
  // One day short of the extended date is still a breach.
  EXPECT_TRUE(has_breach(check_consultation(big("2025-12-01", "2026-01-24"), kPolicy, kAsOf)));
}

TEST(ConsultationRules, TwelveWeeksForTheVoluntarySector) {
  Consultation c = big("2025-03-03", "2025-04-13");
  c.formal_written = true;
  c.affects_voluntary_sector = true;
  auto fs = check_consultation(c, kPolicy, kAsOf);
  auto c12 = of_rule(fs, "C-12");
  ASSERT_EQ(c12.size(), 1u);
  EXPECT_EQ(c12[0].severity, Severity::kBreach);
  EXPECT_EQ(c12[0].dates.at("required_close"), D("2025-05-25"));  // 3 Mar + 83 days
  c.closes = D("2025-05-25");
  EXPECT_TRUE(of_rule(check_consultation(c, kPolicy, kAsOf), "C-12").empty());
  c.closes = D("2025-04-13");
  c.shorter_period_reason = "Grant round timetable set by government.";
  EXPECT_EQ(of_rule(check_consultation(c, kPolicy, kAsOf), "C-12")[0].severity, Severity::kInfo);
}

TEST(ConsultationRules, PreElectionPeriod) {
  CharterPolicy p = CharterPolicy::defaults();
  p.pre_election_periods = {{"pre-election period for the 2026 local elections", D("2026-03-23"), D("2026-05-07")}};
  auto fs = check_consultation(big("2026-04-01", "2026-05-31"), p, kAsOf);
  ASSERT_EQ(of_rule(fs, "C-ELECT").size(), 1u);
  EXPECT_EQ(of_rule(fs, "C-ELECT")[0].severity, Severity::kWarning);
  EXPECT_TRUE(of_rule(check_consultation(big("2026-05-08", "2026-06-30"), p, kAsOf), "C-ELECT").empty());
}

TEST(ConsultationRules, FormativeStage) {
  Consultation c = big("2025-03-03", "2025-04-13");
  c.decision_date = D("2025-04-13");  // closes on the decision day: not before it
  EXPECT_EQ(of_rule(check_consultation(c, kPolicy, kAsOf), "G1").size(), 1u);
  c.decision_date = D("2025-04-14");
  EXPECT_TRUE(of_rule(check_consultation(c, kPolicy, kAsOf), "G1").empty());
  c.decision_recorded_on = D("2025-04-10");
  EXPECT_EQ(of_rule(check_consultation(c, kPolicy, kAsOf), "G1").size(), 1u);
}

TEST(ConsultationRules, ReasonsAndOptions) {
  Consultation c = big("2025-03-03", "2025-04-13");
  c.proposal = "  ";
  c.reasons.clear();
  c.options_considered = {{"Later weekday opening", false, ""}};
  auto g2 = of_rule(check_consultation(c, kPolicy, kAsOf), "G2");
  EXPECT_EQ(g2.size(), 3u);  // proposal, reasons, no rejected alternative
  for (const auto& f : g2) EXPECT_EQ(f.severity, Severity::kBreach);
}

TEST(ConsultationRules, SummaryBeforeDecisionReport) {
  Consultation c = big("2025-03-03", "2025-04-13");
  c.decision_report_date = D("2025-05-20");  // 10 clear days → summary by Fri 9 May 2025
  auto due = of_rule(check_consultation(c, kPolicy, D("2025-05-01")), "G4");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].severity, Severity::kInfo);
  EXPECT_EQ(due[0].dates.at("required_by"), D("2025-05-09"));
  EXPECT_EQ(of_rule(check_consultation(c, kPolicy, D("2025-05-10")), "G4")[0].severity, Severity::kWarning);
  c.summary_published_on = D("2025-05-09");
  EXPECT_EQ(of_rule(check_consultation(c, kPolicy, D("2025-05-10")), "G4")[0].severity, Severity::kInfo);
  c.summary_published_on = D("2025-05-10");  // 9 clear days
  auto late = of_rule(check_consultation(c, kPolicy, D("2025-05-10")), "G4");
  EXPECT_EQ(late[0].severity, Severity::kWarning);
  EXPECT_EQ(late[0].figures.at("clear_days"), 9);
}

TEST(ConsultationRules, VarietyOfChannels) {
  Consultation c = big("2025-03-03", "2025-04-13");
  c.channels = {Channel::kOnline};
  auto var = of_rule(check_consultation(c, kPolicy, kAsOf), "VAR");
  ASSERT_EQ(var.size(), 1u);
  EXPECT_EQ(var[0].severity, Severity::kWarning);
  c.big_decision = false;
  EXPECT_TRUE(of_rule(check_consultation(c, kPolicy, kAsOf), "VAR").empty());
}

TEST(ConsultationRules, SeverityOverrideFromPolicy) {
  CharterPolicy p = CharterPolicy::defaults();
  p.severity_overrides["VAR"] = Severity::kBreach;
  Consultation c = big("2025-03-03", "2025-04-13");
  c.channels = {Channel::kOnline};
  EXPECT_TRUE(has_breach(check_consultation(c, p, kAsOf)));
}

TEST(ConsultationParsing, ValidatesAgainstSchema) {
  auto ok = parse_consultation(nlohmann::json::parse(R"({"id":"c1","title":"T","opens":"2025-03-03","closes":"2025-04-13","channels":["online","paper"]})"));
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  EXPECT_EQ(ok->channels.size(), 2u);
  auto unknown = parse_consultation(nlohmann::json::parse(R"({"id":"c1","title":"T","colour":"red"})"), "/consultations/0");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "/consultations/0/colour");
  auto wrong_type = parse_consultation(nlohmann::json::parse(R"({"id":"c1","title":"T","big_decision":"yes"})"));
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error().field, "/big_decision");
  auto bad_date = parse_consultation(nlohmann::json::parse(R"({"id":"c1","title":"T","opens":"2025-02-30"})"));
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.error().field, "/opens");
  auto reversed = parse_consultation(nlohmann::json::parse(R"({"id":"c1","title":"T","opens":"2025-03-03","closes":"2025-03-01"})"));
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.error().field, "/closes");
  auto channel = parse_consultation(nlohmann::json::parse(R"({"id":"c1","title":"T","channels":["pigeon"]})"));
  ASSERT_FALSE(channel.ok());
  EXPECT_EQ(channel.error().field, "/channels/0");
}

}  // namespace
}  // namespace townhall
