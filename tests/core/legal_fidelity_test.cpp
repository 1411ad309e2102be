// Cases where the rules once disagreed with the Regulations (SI 2012/2089): part-private meetings
// (regs 3–7), the general exception's clock (reg 10), the key decision ward test (reg 8(1)(b)) and
// the decision maker's "title if any" (reg 9(1)(c)). Every expected date is worked out by hand in
// the comments from a 2025 calendar (England and Wales; no bank holiday in June or July 2025).
#include <gtest/gtest.h>

#include "forward_plan_test_util.h"
#include "townhall/charter/policy.h"
#include "townhall/compliance/compliance.h"
#include "townhall/consultations/consultation_rules.h"
#include "townhall/forward_plan/forward_plan_rules.h"

namespace townhall {
namespace {

using fptest::compliant_decision;
using fptest::contains;
using fptest::D;
using fptest::of_rule;
using fptest::with_severity;

std::vector<Finding> check_meeting(const Meeting& m, Date as_of) {
  ForwardPlan plan;
  plan.meetings.push_back(m);
  return check_forward_plan(plan, CharterPolicy::defaults(), as_of);
}

std::vector<Finding> check_one(const KeyDecision& k, Date as_of) {
  ForwardPlan plan;
  plan.key_decisions.push_back(k);
  return check_forward_plan(plan, CharterPolicy::defaults(), as_of);
}

// A Cabinet meeting on Tuesday 15 July 2025 with one exempt item taken in private under the
// urgency route (reg 5(6)), agreed by the O&S chair and with its reasons notice published.
Meeting cabinet_with_an_exempt_item() {
  Meeting m;
  m.id = "cab-2025-07-15";
  m.body = "Cabinet";
  m.date = D("2025-07-15");
  m.is_private = true;
  m.urgency = UrgencyAgreement{UrgencyRole::kOverviewAndScrutinyChair, "Cllr Ben Okafor", D("2025-07-14"), "",
                               D("2025-07-14")};
  return m;
}

// ------------------------------------------------- part-private meetings: the open part is public

TEST(PartPrivateMeeting, OpenPartNeedsNoticeAndAgenda) {
  // Regs 3–4: excluding the public for one item leaves the rest of the meeting public, so reg 6
  // applies to it. 5 clear working days before Tue 15 Jul 2025: Mon 14, Fri 11, Thu 10, Wed 9,
  // Tue 8 lie between → the latest day is Mon 7 Jul 2025. Checked on 20 July, neither is recorded.
  auto b = with_severity(check_meeting(cabinet_with_an_exempt_item(), D("2025-07-20")), "MEET-5", Severity::kBreach);
  ASSERT_EQ(b.size(), 2u);
  for (const auto& f : b) {
    EXPECT_EQ(f.dates.at("required_by"), D("2025-07-07"));
    EXPECT_TRUE(contains(f.message, "open part of the Cabinet meeting")) << f.message;
    EXPECT_EQ(f.citation, "SI 2012/2089 regs 6 and 7");
  }
}

TEST(PartPrivateMeeting, InTimeNoticeAndAgendaPass) {
  Meeting m = cabinet_with_an_exempt_item();
  m.notice_published_on = D("2025-07-07");
  m.agenda_published_on = D("2025-07-07");
  auto all = check_meeting(m, D("2025-07-20"));
  EXPECT_FALSE(has_breach(all));
  auto f = of_rule(all, "MEET-5");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].figures.at("clear_days"), 5);
}

TEST(PartPrivateMeeting, WhollyPrivateMeetingHasNoPublicNotice) {
  Meeting m = cabinet_with_an_exempt_item();
  m.wholly_private = true;
  EXPECT_TRUE(of_rule(check_meeting(m, D("2025-07-20")), "MEET-5").empty());
}

TEST(PartPrivateMeeting, OrdinaryPrivateNoticesNeedTheirReasons) {
  // Reg 5(3): the 28-day notice includes the reasons; reg 5(5)(a): so does the further notice.
  // 28 clear days before Tue 15 Jul: Mon 16 Jun (17 Jun–14 Jul is 28 days); the further notice's
  // latest day is Mon 7 Jul as above.
  Meeting m;
  m.id = "cab";
  m.body = "Cabinet";
  m.date = D("2025-07-15");
  m.is_private = true;
  m.intention_notice_published_on = D("2025-06-16");
  m.further_notice = FurtherNotice{D("2025-07-07"), std::vector<std::string>{}, "", ""};
  m.notice_published_on = D("2025-07-07");
  m.agenda_published_on = D("2025-07-07");
  auto all = check_meeting(m, D("2025-07-01"));
  auto pm1 = with_severity(all, "PM-1", Severity::kBreach);
  ASSERT_EQ(pm1.size(), 1u);
  EXPECT_TRUE(contains(pm1[0].message, "reg 5(3)")) << pm1[0].message;
  auto pm2 = with_severity(all, "PM-2", Severity::kBreach);
  ASSERT_EQ(pm2.size(), 1u);
  EXPECT_TRUE(contains(pm2[0].message, "reg 5(5)(a)")) << pm2[0].message;

  m.intention_notice_reasons = "Exempt information: paragraph 3 of Schedule 12A (commercial tender prices).";
  m.further_notice->reasons = m.intention_notice_reasons;
  EXPECT_FALSE(has_breach(check_meeting(m, D("2025-07-01"))));
}

// ------------------------------------------------- convened at shorter notice (reg 6(1)(b), 6(2)(b))

Meeting public_cabinet() {
  Meeting m;
  m.id = "cab-public";
  m.body = "Cabinet";
  m.date = D("2025-07-15");  // Tuesday
  return m;
}

TEST(ShorterNotice, PublishedWhenConvenedIsNoBreach) {
  // Convened Thu 10 Jul 2025: only Fri 11 and Mon 14 lie between, so 5 clear working days were
  // impossible; notice and agenda published that day meet reg 6(1)(b) and 6(2)(b).
  Meeting m = public_cabinet();
  m.convened_at_shorter_notice_on = D("2025-07-10");
  m.notice_published_on = D("2025-07-10");
  m.agenda_published_on = D("2025-07-10");
  auto f = of_rule(check_meeting(m, D("2025-07-20")), "MEET-5");
  ASSERT_EQ(f.size(), 2u);
  for (const auto& x : f) {
    EXPECT_EQ(x.severity, Severity::kInfo) << x.message;
    EXPECT_FALSE(contains(x.message, "only")) << x.message;
    EXPECT_TRUE(contains(x.message, "shorter notice")) << x.message;
    EXPECT_EQ(x.dates.at("convened"), D("2025-07-10"));
  }
}

TEST(ShorterNotice, PublishedAfterConveningIsABreach) {
  Meeting m = public_cabinet();
  m.convened_at_shorter_notice_on = D("2025-07-10");
  m.notice_published_on = D("2025-07-10");
  m.agenda_published_on = D("2025-07-11");
  auto b = with_severity(check_meeting(m, D("2025-07-20")), "MEET-5", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(contains(b[0].message, "The agenda")) << b[0].message;
  EXPECT_EQ(b[0].dates.at("required_by"), D("2025-07-10"));
}

TEST(ShorterNotice, NothingPublishedIsDueOnTheDayThenABreach) {
  Meeting m = public_cabinet();
  m.convened_at_shorter_notice_on = D("2025-07-10");
  auto due = of_rule(check_meeting(m, D("2025-07-10")), "MEET-5");
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].severity, Severity::kInfo);
  EXPECT_EQ(with_severity(check_meeting(m, D("2025-07-11")), "MEET-5", Severity::kBreach).size(), 2u);
}

TEST(ShorterNotice, ConvenedInTimeForFullNoticeIsNotShorterNotice) {
  // Convened Mon 7 Jul: Tue 8, Wed 9, Thu 10, Fri 11, Mon 14 = 5 clear working days were possible,
  // so the ordinary 5-day rule applies: an agenda on Thu 10 Jul gives only 2.
  Meeting m = public_cabinet();
  m.convened_at_shorter_notice_on = D("2025-07-07");
  m.notice_published_on = D("2025-07-07");
  m.agenda_published_on = D("2025-07-10");
  auto b = with_severity(check_meeting(m, D("2025-07-20")), "MEET-5", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].figures.at("clear_days"), 2);
}

TEST(ShorterNotice, NoClearDayIsNotWorded) {
  // Published Mon 14 Jul for Tue 15 Jul, not convened at shorter notice: no clear day between.
  Meeting m = public_cabinet();
  m.notice_published_on = D("2025-07-14");
  m.agenda_published_on = D("2025-07-07");
  auto b = with_severity(check_meeting(m, D("2025-07-20")), "MEET-5", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_FALSE(contains(b[0].message, "only 0")) << b[0].message;
  EXPECT_TRUE(contains(b[0].message, "with no clear working day before the meeting")) << b[0].message;
}

// ------------------------------------------------- reg 10: the clock starts when the chair is told

KeyDecision general_exception(const char* chair_told, const char* made_public) {
  KeyDecision k = compliant_decision();  // decision Thu 17 Jul 2025
  k.notice->published_on = D("2025-07-01");  // too late for 28 clear days: hence the exception
  k.general_exception = GeneralException{D(chair_told), "Cllr Ben Okafor, chair of Overview and Scrutiny",
                                         D(made_public), D("2025-07-17")};
  return k;
}

TEST(GeneralException, ClearDaysCannotStartBeforeTheChairIsTold) {
  // Reg 10(1): the notice made public is the one given to the chair, and five clear days must
  // follow the day it was made available. Chair told Wed 16 Jul for a decision on Thu 17 Jul: no
  // clear working day. The latest day for Thu 17 Jul is Wed 9 Jul (10, 11, 14, 15, 16 between).
  auto b = with_severity(check_one(general_exception("2025-07-16", "2025-07-01"), D("2025-07-20")), "KD-3",
                         Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].figures.at("clear_days"), 0);
  EXPECT_EQ(b[0].dates.at("required_by"), D("2025-07-09"));
  EXPECT_EQ(b[0].dates.at("published"), D("2025-07-16"));
  EXPECT_EQ(b[0].dates.at("made_public"), D("2025-07-01"));
}

TEST(GeneralException, ChairToldFirstCountsFromMadePublic) {
  // Chair told Tue 8 Jul, made public Wed 9 Jul: 10, 11, 14, 15, 16 Jul = 5 clear working days.
  auto all = check_one(general_exception("2025-07-08", "2025-07-09"), D("2025-07-20"));
  EXPECT_TRUE(with_severity(all, "KD-3", Severity::kBreach).empty());
  // Chair told Thu 10 Jul, "made public" Wed 9 Jul: counts from 10 Jul → 11, 14, 15, 16 = 4.
  auto b = with_severity(check_one(general_exception("2025-07-10", "2025-07-09"), D("2025-07-20")), "KD-3",
                         Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].figures.at("clear_days"), 4);
}

// ------------------------------------------------- reg 8(1)(b): wards are counted once each

TEST(KeyDecisionWards, AWardNamedTwiceIsOneWard) {
  KeyDecision k = compliant_decision();
  k.value_pence.reset();
  k.treated_as_key = false;
  k.significant_effects = true;
  k.wards_affected = {"Abbey", "abbey ", " ABBEY"};
  EXPECT_FALSE(meets_key_decision_test(k, CharterPolicy::defaults()));
  auto kd1 = of_rule(check_one(k, D("2025-07-01")), "KD-1");
  ASSERT_EQ(kd1.size(), 1u);
  EXPECT_NE(kd1[0].severity, Severity::kBreach) << kd1[0].message;
  EXPECT_EQ(kd1[0].figures.at("wards_with_significant_effects"), 1);

  k.wards_affected = {"Abbey", "Brentford  East", "brentford east"};
  EXPECT_TRUE(meets_key_decision_test(k, CharterPolicy::defaults()));
  EXPECT_EQ(distinct_wards(k.wards_affected), (std::vector<std::string>{"Abbey", "Brentford  East"}));
}

// ------------------------------------------------- reg 9(1)(c): "name, and title if any"

TEST(DecisionMakerTitle, AnIndividualWithoutATitleIsNamedEnough) {
  KeyDecision k = compliant_decision();
  k.notice->decision_maker->title.clear();
  auto all = check_one(k, D("2025-07-01"));
  EXPECT_TRUE(with_severity(all, "KD-2", Severity::kBreach).empty());
  // A body still needs its members listed.
  k.notice->decision_maker = DecisionMaker{"", "", "Cabinet", {}};
  auto b = with_severity(check_one(k, D("2025-07-01")), "KD-2", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(contains(b[0].message, "members")) << b[0].message;
}

}  // namespace
}  // namespace townhall

// ------------------------------------------------- statutory floors (England) and nations

namespace townhall {
namespace {

Result<CharterPolicy> policy(const std::string& text) { return CharterPolicy::from_json_text(text); }

TEST(StatutoryFloors, LoweringAStatutoryPeriodIsRefusedNamingTheSetting) {
  // SI 2012/2089: reg 9(1) 28 clear days; reg 10(1)(d) 5 clear days; reg 5(2) 28; reg 5(4) 5;
  // reg 6 5; reg 19 at least annually; reg 8(1)(b) two or more wards.
  const std::pair<const char*, const char*> laxer[] = {
      {R"({"key_decisions": {"notice": {"days": 0}}})", "/key_decisions/notice"},
      {R"({"key_decisions": {"notice": {"days": 27}}})", "/key_decisions/notice"},
      {R"({"key_decisions": {"general_exception_notice": {"days": 4}}})", "/key_decisions/general_exception_notice"},
      {R"({"key_decisions": {"general_exception_notice": {"days": 5, "mode": "calendar"}}})",
       "/key_decisions/general_exception_notice"},
      {R"({"key_decisions": {"urgency_report_months": 13}})", "/key_decisions/urgency_report_months"},
      {R"({"key_decisions": {"ward_count": 3}})", "/key_decisions/ward_count"},
      {R"({"meetings": {"private_notice": {"days": 27}}})", "/meetings/private_notice"},
      {R"({"meetings": {"private_further_notice": {"days": 4}}})", "/meetings/private_further_notice"},
      {R"({"meetings": {"public_notice": {"days": 3, "mode": "working"}}})", "/meetings/public_notice"},
      {R"({"nation": "england", "meetings": {"public_notice": {"days": 5, "mode": "calendar"}}})",
       "/meetings/public_notice"},
  };
  for (const auto& [text, field] : laxer) {
    auto p = policy(text);
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_EQ(p.error().field, field) << text;
    EXPECT_TRUE(contains(p.error().message, "SI 2012/2089")) << p.error().message;
  }
}

TEST(StatutoryFloors, StricterThanTheLawIsAllowed) {
  auto p = policy(R"({"key_decisions": {"notice": {"days": 35}, "general_exception_notice": {"days": 10},
                      "urgency_report_months": 6, "ward_count": 1},
                      "meetings": {"public_notice": {"days": 7, "mode": "working"},
                                   "private_notice": {"days": 28, "mode": "working"}}})");
  ASSERT_TRUE(p.ok()) << p.error().describe();
  EXPECT_EQ(p->key_decision_notice.days, 35);
  EXPECT_EQ(p->key_decision_ward_count, 1);
}

TEST(StatutoryFloors, DowngradingAStatutoryBreachIsRefusedCharterRulesStayConfigurable) {
  for (const char* id : {"KD-1", "KD-2", "KD-3", "KD-4", "KD-5", "KD-6", "PM-1", "PM-2", "MEET-5"}) {
    for (const char* sev : {"warning", "info"}) {
      auto p = policy(std::string(R"({"severities": {")") + id + R"(": ")" + sev + R"("}})");
      ASSERT_FALSE(p.ok()) << id << " " << sev;
      EXPECT_EQ(p.error().field, std::string("/severities/") + id);
    }
    EXPECT_TRUE(policy(std::string(R"({"severities": {")") + id + R"(": "breach"}})").ok()) << id;
  }
  auto charter = policy(R"({"severities": {"C-MIN": "warning", "VAR": "info", "G4": "info", "READ": "info"}})");
  ASSERT_TRUE(charter.ok()) << charter.error().describe();
  EXPECT_EQ(charter->severity_of("C-MIN"), Severity::kWarning);
  EXPECT_TRUE(policy(R"({"consultation": {"big_decision_weeks": 4}})").ok());
}

TEST(StatutoryFloors, APolicyBuiltInCodeCannotDowngradeEither) {
  // The issue's case: KD-2 set to info reported "info … 27 clear days … 28 required".
  CharterPolicy p = CharterPolicy::defaults();
  p.severity_overrides["KD-2"] = Severity::kInfo;
  KeyDecision k = compliant_decision();
  k.notice->published_on = D("2025-06-19");  // 27 clear days before Thu 17 Jul 2025
  ForwardPlan plan;
  plan.key_decisions.push_back(k);
  EXPECT_EQ(with_severity(check_forward_plan(plan, p, D("2025-07-01")), "KD-2", Severity::kBreach).size(), 1u);
}

TEST(Nations, RegulationsApplyToEnglishCouncilsOnly) {
  auto england = policy(R"({})");
  ASSERT_TRUE(england.ok());
  EXPECT_EQ(england->nation, Nation::kEngland);
  EXPECT_TRUE(england->regulations_apply());

  // Scotland: no floors, the region follows the nation, and findings say it is council policy.
  auto scotland = policy(R"({"nation": "scotland", "key_decisions": {"notice": {"days": 14}},
                             "severities": {"MEET-5": "warning"}})");
  ASSERT_TRUE(scotland.ok()) << scotland.error().describe();
  EXPECT_EQ(scotland->region, Region::kScotland);
  EXPECT_FALSE(scotland->regulations_apply());
  EXPECT_EQ(scotland->severity_of("MEET-5"), Severity::kWarning);

  // A region given alone keeps its old meaning: scotland → the Scottish nation.
  EXPECT_EQ(policy(R"({"region": "northern-ireland"})")->nation, Nation::kNorthernIreland);
  auto wales = policy(R"({"nation": "wales"})");
  ASSERT_TRUE(wales.ok());
  EXPECT_EQ(wales->region, Region::kEnglandAndWales);
  EXPECT_FALSE(wales->regulations_apply());

  auto mismatch = policy(R"({"nation": "wales", "region": "scotland"})");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().field, "/region");
  auto unknown = policy(R"({"nation": "cornwall"})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "/nation");
}

TEST(Nations, FindingsOutsideEnglandAreLabelledCouncilPolicy) {
  KeyDecision k = compliant_decision();
  k.notice->published_on = D("2025-06-19");  // 27 clear days
  ForwardPlan plan;
  plan.key_decisions.push_back(k);
  auto en = with_severity(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-07-01")), "KD-2",
                          Severity::kBreach);
  ASSERT_EQ(en.size(), 1u);
  EXPECT_EQ(en[0].citation, "SI 2012/2089 reg 9");
  for (Nation n : {Nation::kWales, Nation::kScotland, Nation::kNorthernIreland}) {
    CharterPolicy p = CharterPolicy::defaults();
    p.nation = n;
    auto f = with_severity(check_forward_plan(plan, p, D("2025-07-01")), "KD-2", Severity::kBreach);
    ASSERT_EQ(f.size(), 1u) << nation_id(n);
    EXPECT_EQ(f[0].citation,
              "Council policy, following SI 2012/2089 reg 9 (the Regulations apply to English councils only)");
  }
}

}  // namespace
}  // namespace townhall

// ------------------------------------------------- records checked against each other


namespace townhall {
namespace {

// A six-week consultation on a big decision opening Mon 1 Dec 2025, linked to key decision kd-1.
// Design example (§2.3): the base close is Sun 11 Jan 2026; nine holiday days inside (24 Dec to the
// New Year bank holiday, Thu 1 Jan 2026) extend it to Sun 25 Jan 2026.
nlohmann::json linked_file(const char* closes, const nlohmann::json& decision_timing) {
  nlohmann::json consultation = {
      {"id", "libraries"}, {"title", "Library opening hours"}, {"big_decision", true},
      {"opens", "2025-12-01"}, {"closes", closes}, {"key_decision_id", "kd-1"},
      {"proposal", "Shorter Sunday hours."}, {"reasons", "Budget."},
      {"options_considered", {{{"option", "No change"}, {"rejected", true}, {"reason", "Unaffordable"}}}},
      {"channels", {"online", "paper"}}};
  nlohmann::json decision = {{"id", "kd-1"}, {"matter", "Library opening hours"},
                             {"decision_maker", {{"name", "Cllr Asha Patel"}}}, {"treated_as_key", true}};
  decision.update(decision_timing);
  return {{"as_of", "2025-11-01"},
          {"consultations", nlohmann::json::array({consultation})},
          {"forward_plan", {{"key_decisions", nlohmann::json::array({decision})}}}};
}

std::vector<Finding> g1(const nlohmann::json& file) {
  auto r = check_document(file, CharterPolicy::defaults());
  EXPECT_TRUE(r.ok()) << r.error().describe();
  return r.ok() ? with_severity(r->findings, "G1", Severity::kBreach) : std::vector<Finding>{};
}

TEST(LinkedRecords, ConsultationClosingAfterItsKeyDecisionIsAG1Breach) {
  // Recorded close Sun 25 Jan 2026 (the extended close); the decision is Thu 22 Jan 2026.
  auto b = g1(linked_file("2026-01-25", {{"decision_date", "2026-01-22"}}));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].dates.at("decision_date"), D("2026-01-22"));
  EXPECT_TRUE(contains(b[0].message, "kd-1")) << b[0].message;
  // Decision Mon 26 Jan 2026: the day after the close, no breach.
  EXPECT_TRUE(g1(linked_file("2026-01-25", {{"decision_date", "2026-01-26"}})).empty());
}

TEST(LinkedRecords, TheHolidayExtensionCanPushTheClosePastTheDecision) {
  // Recorded close Sun 11 Jan 2026, decision Thu 15 Jan: before the decision as recorded, but C-EXT
  // requires it to stay open until Sun 25 Jan, after the decision.
  auto b = g1(linked_file("2026-01-11", {{"decision_date", "2026-01-15"}}));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].dates.at("required_close"), D("2026-01-25"));
  EXPECT_TRUE(contains(b[0].message, "C-EXT")) << b[0].message;
}

TEST(LinkedRecords, APeriodCountsFromItsFirstDayAndAnUnknownLinkIsAWarning) {
  // Period 20–30 Jan 2026: the decision may be taken on Tue 20 Jan, before the 25 Jan close.
  auto b = g1(linked_file("2026-01-25", {{"decision_period", {{"from", "2026-01-20"}, {"to", "2026-01-30"}}}}));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].dates.at("decision_date"), D("2026-01-20"));
  auto file = linked_file("2026-01-25", {{"decision_date", "2026-02-26"}});
  file["consultations"][0]["key_decision_id"] = "kd-404";
  auto r = check_document(file, CharterPolicy::defaults());
  ASSERT_TRUE(r.ok());
  auto w = with_severity(r->findings, "G1", Severity::kWarning);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(contains(w[0].message, "could not be checked")) << w[0].message;
}

TEST(LinkedRecords, DecisionTakenBeforeTheNotifiedDateIsABreach) {
  // Notice published Sun 1 Jun 2025 for Thu 17 Jul 2025; the decision is taken Thu 10 Jul (38
  // clear days after the notice, so the 28 days are met, but a week earlier than notified).
  KeyDecision k = compliant_decision();
  k.notice->published_on = D("2025-06-01");
  k.decided_on = D("2025-07-10");
  auto b = with_severity(check_one(k, D("2025-07-20")), "KD-2", Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(contains(b[0].message, "before the date the notice gave")) << b[0].message;
  EXPECT_EQ(b[0].dates.at("notified_from"), D("2025-07-17"));
  // Taken after it (Thu 24 Jul): the entry should have been revised, a warning.
  k.decided_on = D("2025-07-24");
  auto all = check_one(k, D("2025-07-30"));
  EXPECT_TRUE(with_severity(all, "KD-2", Severity::kBreach).empty());
  EXPECT_EQ(with_severity(all, "KD-2", Severity::kWarning).size(), 1u);
}

}  // namespace
}  // namespace townhall

// ------------------------------------------------- KD-5 from CSV, C-ELECT over the whole period, titles


namespace townhall {
namespace {

TEST(Kd5FromCsv, ACsvCannotRecordReportsSoTheCheckCouldNotBeMade) {
  // A special-urgency decision taken Mon 1 Sep 2025; reg 19 reports at least yearly, so by
  // Tue 1 Sep 2026. Checked on 1 Dec 2026 from a CSV, which has no place for the report.
  KeyDecision k = compliant_decision();
  k.notice.reset();
  k.timing.date = D("2025-09-01");
  k.special_urgency = UrgencyAgreement{UrgencyRole::kOverviewAndScrutinyChair, "Cllr Ben Okafor", D("2025-08-29"),
                                       "", D("2025-09-01")};
  ForwardPlan plan;
  plan.key_decisions.push_back(k);
  plan.records_urgency_reports = false;
  auto f = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2026-12-01")), "KD-5");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_TRUE(contains(f[0].message, "Could not check")) << f[0].message;
  EXPECT_FALSE(contains(f[0].message, "has not been reported")) << f[0].message;
  EXPECT_EQ(f[0].dates.at("required_by"), D("2026-09-01"));

  auto csv = parse_forward_plan_csv(
      "id,matter,decision_maker,decision_date,value_pence,wards,significant_effects,treated_as_key,"
      "notice_published_on\nkd-1,Depot,Cllr A,2025-09-01,12000000,Abbey,no,yes,2025-07-01\n");
  ASSERT_TRUE(csv.ok()) << csv.error().describe();
  EXPECT_FALSE(csv->records_urgency_reports);
}

TEST(ElectionPeriod, AConsultationRunningIntoThePeriodIsCaught) {
  // Pre-election period 23 Mar – 7 May 2026. A consultation open 2 Feb – 29 Mar 2026 opens before
  // it but is underway during it.
  CharterPolicy p = CharterPolicy::defaults();
  p.pre_election_periods = {{"pre-election period", D("2026-03-23"), D("2026-05-07")}};
  Consultation c;
  c.id = "c";
  c.big_decision = true;
  c.opens = D("2026-02-02");
  c.closes = D("2026-03-29");
  auto f = of_rule(check_consultation(c, p, D("2026-01-01")), "C-ELECT");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  // Closing the day before the period starts is clear of it.
  c.closes = D("2026-03-22");
  EXPECT_TRUE(of_rule(check_consultation(c, p, D("2026-01-01")), "C-ELECT").empty());
}

TEST(FindingJson, CarriesTheRuleTitle) {
  auto f = of_rule(check_one(compliant_decision(), D("2025-07-01")), "KD-2");
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].to_json()["title"], "28 clear days' notice of a key decision, with every matter reg 9 requires");
}

}  // namespace
}  // namespace townhall
