// Cases where the rules once disagreed with the Regulations (SI 2012/2089): part-private meetings
// (regs 3–7), the general exception's clock (reg 10), the key decision ward test (reg 8(1)(b)) and
// the decision maker's "title if any" (reg 9(1)(c)). Every expected date is worked out by hand in
// the comments from a 2025 calendar (England and Wales; no bank holiday in June or July 2025).
#include <gtest/gtest.h>

#include "forward_plan_test_util.h"
#include "townhall/charter/policy.h"
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
