// The live register checked as `townhall check` checks a file: a stored consultation linked to a
// key decision in the stored Forward Plan register must close before the decision, while the
// proposal is still formative (charter G1, "it opens and closes before the decision it informs"),
// judged on the close a holiday extension requires (charter C-EXT). The decision day is the one
// the Forward Plan notified under SI 2012/2089 reg 9(1)(d): its date, or the first day of its
// period. Dates are worked out by hand in the comments (England and Wales calendar).
#include <gtest/gtest.h>

#include "townhall/compliance/compliance.h"
#include "townhall/compliance/register.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/store/sqlite_store.h"

#include "store_test_util.h"

namespace townhall {
namespace {

using testing_store::open_ok;
using testing_store::TempDb;

const Actor kGwen{"user:2 (Gwen, governance)", Role::kGovernance};
const Actor kAnn = Actor::of(User{7, "Ann", Role::kOfficer});

// A six-week consultation on a big decision opening Mon 1 Dec 2025 (design §2.3's C-EXT example:
// the base close Sun 11 Jan 2026, extended over nine holiday days to Sun 25 Jan 2026).
nlohmann::json consultation(const char* closes, const char* key_decision) {
  nlohmann::json c = {{"title", "Library opening hours"},
                      {"summary", "We want to change library opening hours."},
                      {"big_decision", true},
                      {"opens", "2025-12-01"},
                      {"closes", closes},
                      {"proposal", "Shorter Sunday hours."},
                      {"reasons", "Budget."},
                      {"options_considered", {{{"option", "No change"}, {"rejected", true}, {"reason", "Unaffordable"}}}},
                      {"channels", {"online", "paper"}}};
  if (key_decision[0] != '\0') c["key_decision_id"] = key_decision;
  return c;
}

nlohmann::json decision(const nlohmann::json& timing) {
  nlohmann::json d = {{"id", "kd-1"},
                      {"matter", "Library opening hours"},
                      {"decision_maker", {{"name", "Cllr Asha Patel"}}},
                      {"treated_as_key", true}};
  d.update(timing);
  return d;
}

std::vector<Finding> g1_of(const std::vector<Finding>& fs, Severity s) {
  std::vector<Finding> out;
  for (const auto& f : fs) {
    if (f.rule == "G1" && f.severity == s) out.push_back(f);
  }
  return out;
}

class LiveRecords : public ::testing::Test {
 protected:
  // Stores the consultation and the decision, and returns the consultation's id.
  std::string store_both(const char* closes, const nlohmann::json& timing, const char* link = "kd-1") {
    auto c = create_consultation(*store, consultation(closes, link), kAnn);
    EXPECT_TRUE(c.ok()) << c.error().describe();
    auto d = record_in_register(*store, RecordKind::kKeyDecision, "kd-1", decision(timing), kGwen);
    EXPECT_TRUE(d.ok()) << d.error().describe();
    return c.ok() ? c->id : "";
  }
  std::vector<Finding> live(Severity s) {
    auto r = check_live_records(*store, *store, CharterPolicy::defaults(), as_of);
    EXPECT_TRUE(r.ok()) << r.error().describe();
    return r.ok() ? g1_of(r->findings, s) : std::vector<Finding>{};
  }
  std::vector<Finding> own(const std::string& id, Severity s) {
    auto rec = store->get_consultation(id);
    EXPECT_TRUE(rec.ok());
    auto r = consultation_findings_on_register(*store, *store, *rec, CharterPolicy::defaults(), as_of);
    EXPECT_TRUE(r.ok()) << r.error().describe();
    return r.ok() ? g1_of(*r, s) : std::vector<Finding>{};
  }

  TempDb db;
  std::unique_ptr<Store> store = open_ok(db.path());
  const Date as_of = *Date::parse("2025-11-01");
};

TEST_F(LiveRecords, G1AConsultationClosingAfterItsKeyDecisionIsABreachOnTheLiveRegister) {
  // Closes Sun 25 Jan 2026; the decision is due Thu 22 Jan 2026.
  const std::string id = store_both("2026-01-25", {{"decision_date", "2026-01-22"}});
  auto b = live(Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].subject_kind, "consultation");
  EXPECT_EQ(b[0].subject_id, id);
  EXPECT_EQ(b[0].dates.at("decision_date"), *Date::parse("2026-01-22"));
  // The consultation's own findings (the console's consultation page, GET …/findings) say so too.
  auto o = own(id, Severity::kBreach);
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].message, b[0].message);
}

TEST_F(LiveRecords, G1ClosingOnTheDecisionDayIsNotBeforeIt) {
  // "Opens and closes before the decision": closing on the decision day (Thu 22 Jan) is not before it.
  store_both("2026-01-22", {{"decision_date", "2026-01-22"}});
  EXPECT_EQ(live(Severity::kBreach).size(), 1u);
}

TEST_F(LiveRecords, G1ClosingTheDayBeforeTheDecisionPasses) {
  // Closes Sun 25 Jan 2026 with the extension; the decision is Mon 26 Jan.
  const std::string id = store_both("2026-01-25", {{"decision_date", "2026-01-26"}});
  EXPECT_TRUE(live(Severity::kBreach).empty());
  EXPECT_TRUE(own(id, Severity::kBreach).empty());
}

TEST_F(LiveRecords, G1TheHolidayExtensionPushesTheCloseCountedPastTheDecision) {
  // Recorded close Sun 11 Jan 2026, decision Thu 15 Jan: C-EXT requires it to stay open until Sun
  // 25 Jan, after the decision.
  const std::string id = store_both("2026-01-11", {{"decision_date", "2026-01-15"}});
  auto b = live(Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].dates.at("required_close"), *Date::parse("2026-01-25"));
  EXPECT_EQ(own(id, Severity::kBreach).size(), 1u);
}

TEST_F(LiveRecords, G1APeriodNotifiedCountsFromItsFirstDay) {
  // Reg 9(1)(d) lets the plan give a period: 20–30 Jan 2026. The decision may be taken on Tue 20
  // Jan, before the 25 Jan close.
  store_both("2026-01-25", {{"decision_period", {{"from", "2026-01-20"}, {"to", "2026-01-30"}}}});
  auto b = live(Severity::kBreach);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].dates.at("decision_date"), *Date::parse("2026-01-20"));
}

TEST_F(LiveRecords, G1ALinkToADecisionNotInTheRegisterCouldNotBeChecked) {
  const std::string id = store_both("2026-01-25", {{"decision_date", "2026-02-26"}}, "kd-404");
  auto w = live(Severity::kWarning);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].message.find("could not be checked"), std::string::npos) << w[0].message;
  EXPECT_EQ(own(id, Severity::kWarning).size(), 1u);
}

TEST_F(LiveRecords, TheLiveReportIsTheFileReportOfTheSameRecords) {
  // The same consultation and decision as a check file give the same G1 finding.
  const std::string id = store_both("2026-01-11", {{"decision_date", "2026-01-15"}});
  nlohmann::json c = consultation("2026-01-11", "kd-1");
  c["id"] = id;
  nlohmann::json file = {{"consultations", {c}},
                         {"forward_plan", {{"key_decisions", {decision({{"decision_date", "2026-01-15"}})}}}}};
  auto f = check_document(file, CharterPolicy::defaults(), as_of);
  ASSERT_TRUE(f.ok()) << f.error().describe();
  auto from_file = g1_of(f->findings, Severity::kBreach);
  auto from_live = live(Severity::kBreach);
  ASSERT_EQ(from_file.size(), 1u);
  ASSERT_EQ(from_live.size(), 1u);
  EXPECT_EQ(from_live[0].to_json(), from_file[0].to_json());
}

TEST_F(LiveRecords, AConsultationWithoutALinkIsNotCheckedAgainstThePlan) {
  store_both("2026-01-25", {{"decision_date", "2026-01-22"}}, "");
  auto r = check_live_records(*store, *store, CharterPolicy::defaults(), as_of);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(g1_of(r->findings, Severity::kBreach).empty());
  EXPECT_EQ(r->consultations_checked, 0u);
}

}  // namespace
}  // namespace townhall
