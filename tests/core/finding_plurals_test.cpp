// Counted phrases in findings follow each language's plural rules (CLDR, through the ICU message
// catalogs): "1 clear day", "2 clear days"; Welsh and Arabic have six forms. The counts come from
// the Regulations' clear days (SI 2012/2089 regs 6 and 9: the days between the notice and the
// meeting or decision, neither counted) and the charter's G4 time to consider responses, worked out
// by hand from a 2025 calendar (England and Wales; no bank holiday in July 2025).
#include <gtest/gtest.h>

#include <regex>

#include "forward_plan_test_util.h"
#include "townhall/charter/wording.h"
#include "townhall/consultations/consultation_rules.h"
#include "townhall/forward_plan/forward_plan_rules.h"
#include "townhall/i18n/catalog.h"

namespace townhall {
namespace {

using fptest::D;
using fptest::of_rule;

// A number followed by a noun in the wrong number: "1 clear days", "2 clear working day", "6 week".
bool wrongly_counted(const std::string& message) {
  static const std::regex one_plural(R"((^|[^0-9])1 (clear )?(calendar |working |holiday )?(days|weeks|months)\b)");
  static const std::regex many_singular(
      R"((^|[^0-9])([02-9]|[1-9][0-9]+) (clear )?(calendar |working |holiday )?(day|week|month)\b)");
  return std::regex_search(message, one_plural) || std::regex_search(message, many_singular);
}

TEST(FindingPlurals, EnglishCountsAgreeWithTheirNouns) {
  EXPECT_EQ(counted(Counted::kClearDays, 1), "1 clear day");
  EXPECT_EQ(counted(Counted::kClearDays, 2), "2 clear days");
  EXPECT_EQ(counted(Counted::kClearWorkingDays, 1), "1 clear working day");
  EXPECT_EQ(counted(Counted::kClearCalendarDays, 27), "27 clear calendar days");
  EXPECT_EQ(counted(Counted::kWeeks, 6), "6 weeks");
  EXPECT_EQ(counted(Counted::kMonths, 1), "1 month");
  EXPECT_EQ(counted(Counted::kHolidayDays, 9), "9 holiday days");
  EXPECT_EQ(counted(Counted::kDays, 0), "0 days");
}

TEST(FindingPlurals, WelshAndArabicUseTheirOwnPluralCategories) {
  // Welsh (CLDR: zero 0, one 1, two 2, few 3, many 6, other): the soft mutation after "dau" (2).
  EXPECT_EQ(counted(Counted::kClearDays, 1, "cy"), "1 diwrnod clir");
  EXPECT_EQ(counted(Counted::kClearDays, 2, "cy"), "2 ddiwrnod clir");
  EXPECT_EQ(counted(Counted::kClearDays, 3, "cy"), "3 diwrnod clir");
  EXPECT_EQ(counted(Counted::kMonths, 2, "cy"), "2 fis");
  // Arabic (CLDR: one 1, two 2, few n%100 in 3..10, many n%100 in 11..99, other 100, zero 0).
  EXPECT_EQ(counted(Counted::kClearDays, 1, "ar"), "يوم كامل واحد");
  EXPECT_EQ(counted(Counted::kClearDays, 2, "ar"), "يومان كاملان");
  EXPECT_EQ(counted(Counted::kClearDays, 3, "ar"), "3 أيام كاملة");
  EXPECT_EQ(counted(Counted::kClearDays, 11, "ar"), "11 يومًا كاملًا");
  EXPECT_EQ(counted(Counted::kClearDays, 100, "ar"), "100 يوم كامل");
  EXPECT_EQ(counted(Counted::kWeeks, 6, "ar"), "6 أسابيع");
}

TEST(FindingPlurals, EveryCountedPhraseFormatsInEveryCatalog) {
  const auto& set = i18n::CatalogSet::builtin();
  for (const auto& locale : set.locales()) {
    for (Counted c : {Counted::kDays, Counted::kClearDays, Counted::kClearCalendarDays, Counted::kClearWorkingDays,
                      Counted::kWeeks, Counted::kMonths, Counted::kHolidayDays}) {
      ASSERT_NE(set.find(locale)->pattern(counted_key(c)), nullptr) << locale << " " << counted_key(c);
      for (int64_t n : {0, 1, 2, 3, 5, 6, 11, 28, 100, 101}) {
        auto text = set.format(locale, counted_key(c), {{"count", n}});
        ASSERT_TRUE(text.ok()) << locale << " " << counted_key(c) << " " << n;
        EXPECT_EQ(text->locale, locale) << counted_key(c);
      }
    }
  }
}

Meeting public_meeting(const char* notice) {
  Meeting m;
  m.id = "planning-2025-07-17";
  m.body = "Planning Committee";
  m.date = D("2025-07-17");  // Thursday
  m.notice_published_on = D(notice);
  m.agenda_published_on = D(notice);
  return m;
}

TEST(FindingPlurals, Meet5SaysOneClearWorkingDayAndTwoClearWorkingDays) {
  // Reg 6: notice Tue 15 July for a meeting on Thu 17 July leaves one clear working day (Wed 16).
  ForwardPlan plan;
  plan.meetings.push_back(public_meeting("2025-07-15"));
  auto one = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-07-20")), "MEET-5");
  ASSERT_FALSE(one.empty());
  EXPECT_NE(one[0].message.find("only 1 clear working day before"), std::string::npos) << one[0].message;
  // Mon 14 July leaves two (Tue 15, Wed 16).
  plan.meetings[0] = public_meeting("2025-07-14");
  auto two = of_rule(check_forward_plan(plan, CharterPolicy::defaults(), D("2025-07-20")), "MEET-5");
  ASSERT_FALSE(two.empty());
  EXPECT_NE(two[0].message.find("only 2 clear working days before"), std::string::npos) << two[0].message;
}

TEST(FindingPlurals, G4SaysOneClearDay) {
  // Charter G4: the summary of responses is published 10 days before the decision report. Published
  // Mon 14 July for a report on Wed 16 July leaves one clear day (Tue 15).
  Consultation c;
  c.id = "c";
  c.opens = D("2025-05-01");
  c.closes = D("2025-06-30");
  c.decision_report_date = D("2025-07-16");
  c.summary_published_on = D("2025-07-14");
  auto f = of_rule(check_consultation(c, CharterPolicy::defaults(), D("2025-07-20")), "G4");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("only 1 clear day before"), std::string::npos) << f[0].message;
}

TEST(FindingPlurals, NoFindingMiscountsAnyNumberOfDays) {
  // The class: every count a notice rule (regs 6, 9) or a consultation rule (C-MIN, C-12, G4) can
  // state, from 0 to 40 days, agrees with its noun.
  for (int before = 0; before <= 40; ++before) {
    ForwardPlan plan;
    plan.meetings.push_back(public_meeting(D("2025-07-17").minus_days(before).iso().c_str()));
    KeyDecision k = fptest::compliant_decision();
    k.notice->published_on = k.timing.first_day().minus_days(before);
    plan.key_decisions.push_back(k);
    for (const auto& f : check_forward_plan(plan, CharterPolicy::defaults(), D("2025-09-01"))) {
      EXPECT_FALSE(wrongly_counted(f.message)) << f.to_line();
    }
    Consultation c;
    c.id = "c";
    c.big_decision = true;
    c.formal_written = true;
    c.affects_voluntary_sector = true;
    c.opens = D("2025-06-02");
    c.closes = c.opens->plus_days(before);
    c.decision_report_date = D("2025-08-20");
    c.summary_published_on = D("2025-08-20").minus_days(before);
    for (const auto& f : check_consultation(c, CharterPolicy::defaults(), D("2025-09-01"))) {
      EXPECT_FALSE(wrongly_counted(f.message)) << f.to_line();
    }
  }
}

}  // namespace
}  // namespace townhall
