// What actually happened to a consultation, not only what was planned: the lifecycle records the
// days it really opened and closed, refuses opening before the published opening date and closing
// before the published closing date unless an exception (reason and approving officer) is
// recorded, and C-MIN is judged on the days it was really open. Expected values come from the
// charter (docs/design.md §2.3: a consultation on a big decision stays open at least six weeks).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/store/sqlite_store.h"
#include "exception_test_util.h"

namespace townhall {
namespace {

Date day(const char* iso) { return *Date::parse(iso); }

class ActualDatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/townhall-actual-XXXXXX";
    dir = mkdtemp(tmpl);
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }

  // A six-week consultation on a big decision, scheduled on 1 February 2026: Mon 2 March to Sun
  // 12 April 2026 is 42 days, exactly six weeks; nothing else in it breaches the charter.
  std::string scheduled(bool big = true) {
    nlohmann::json doc = {{"title", "Library opening hours"},
                          {"big_decision", big},
                          {"opens", "2026-03-02"},
                          {"closes", "2026-04-12"},
                          {"summary", "We want to change library opening hours."},
                          {"proposal", "Open on Saturday afternoons."},
                          {"reasons", "Money is short."},
                          {"options_considered",
                           {{{"option", "Keep the hours"}},
                            {{"option", "Close on Mondays"}, {"rejected", true}, {"reason", "Fewer people could visit."}}}},
                          {"channels", {"online", "paper"}}};
    auto c = create_consultation(*store, doc, officer);
    EXPECT_TRUE(c.ok()) << c.error().describe();
    auto s = transition(*store, c->id, TransitionRequest(ConsultationStatus::kScheduled), officer, policy,
                        day("2026-02-01"));
    EXPECT_TRUE(s.ok()) << s.error().describe();
    return c->id;
  }

  Result<Transitioned, LifecycleError> step(const std::string& id, ConsultationStatus to, const char* on,
                                            bool with_exception = false) {
    TransitionRequest r(to);
    if (!with_exception) return transition(*store, id, r, officer, policy, day(on));
    if (ann.id == 0) {
      ann = testing::add_staff_officer(*store, "ann");
      head = testing::add_staff_officer(*store, "head.of.service");
    }
    r.exception_request = testing::approved_exception(*store, id, to, "The library roof failed; the proposal moved on.", ann, head);
    return transition(*store, id, r, ann, policy, day(on), std::time(nullptr));
  }

  size_t audit_count() { return store->audit_entries()->size(); }

  std::string dir;
  std::unique_ptr<Store> store;
  const Actor officer = Actor::of(User{7, "Ann", Role::kOfficer});
  const CharterPolicy policy = CharterPolicy::defaults();
  User ann, head;  // console officers, added for the first step that needs an exception
};

const Finding* find(const std::vector<Finding>& fs, const std::string& rule) {
  for (const auto& f : fs) {
    if (f.rule == rule) return &f;
  }
  return nullptr;
}

TEST_F(ActualDatesTest, OpeningThreeDaysEarlyWithoutAnExceptionIsRefusedAndChangesNothing) {
  const std::string id = scheduled();
  const size_t before = audit_count();
  auto r = step(id, ConsultationStatus::kOpen, "2026-02-27");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().refusal, Refusal::kBeforePublishedDate);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().field, "/to");
  EXPECT_NE(r.error().message.find("before the published opening date Monday 2 March 2026"), std::string::npos)
      << r.error().message;
  auto stored = store->get_consultation(id);
  EXPECT_EQ(stored->status, ConsultationStatus::kScheduled);
  EXPECT_FALSE(stored->document.contains("opened_on"));
  EXPECT_EQ(audit_count(), before);
}

TEST_F(ActualDatesTest, ClosingBeforeThePublishedClosingDateIsRefusedAndWithAnExceptionJudgedOnActualDays) {
  const std::string id = scheduled();
  // Opened three days early with an approved exception: recorded, with the day it happened.
  auto opened = step(id, ConsultationStatus::kOpen, "2026-02-27", true);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  EXPECT_TRUE(opened->exception_recorded);
  EXPECT_EQ(opened->consultation.document["opened_on"], "2026-02-27");
  EXPECT_TRUE(opened->consultation.document["opened_at"].is_string());
  const auto& ex = opened->consultation.document["exceptions"].back();
  EXPECT_EQ(ex["approved_by"], Actor::of(head).who);
  EXPECT_NE(ex["departure"].get<std::string>().find("before the published opening date"), std::string::npos);

  // Closed the same day, seconds later: refused, and the findings already judge the six weeks on
  // the days it was really open (one day).
  auto early = step(id, ConsultationStatus::kClosed, "2026-02-27");
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().refusal, Refusal::kBeforePublishedDate);
  EXPECT_NE(early.error().message.find("before the published closing date Sunday 12 April 2026"), std::string::npos);
  const Finding* min = find(early.error().findings, "C-MIN");
  ASSERT_NE(min, nullptr);
  EXPECT_EQ(min->severity, Severity::kBreach);
  EXPECT_EQ(min->figures.at("length_days"), 1);
  EXPECT_EQ(store->get_consultation(id)->status, ConsultationStatus::kOpen);

  // With an exception it closes, and C-MIN is judged on the actual days: one day, not six weeks.
  auto closed = step(id, ConsultationStatus::kClosed, "2026-02-27", true);
  ASSERT_TRUE(closed.ok()) << closed.error().describe();
  EXPECT_EQ(closed->consultation.document["closed_on"], "2026-02-27");
  const Finding* judged = find(closed->findings, "C-MIN");
  ASSERT_NE(judged, nullptr);
  EXPECT_EQ(judged->severity, Severity::kBreach);
  EXPECT_EQ(judged->figures.at("length_days"), 1);
  EXPECT_EQ(judged->dates.at("opens").iso(), "2026-02-27");
  EXPECT_EQ(judged->dates.at("closes").iso(), "2026-02-27");
  EXPECT_NE(judged->message.find("it closed Friday 27 February 2026"), std::string::npos) << judged->message;
  const auto& recorded = closed->consultation.document["exceptions"].back();
  EXPECT_EQ(recorded["rules"], nlohmann::json({"C-MIN"}));
  EXPECT_NE(recorded["departure"].get<std::string>().find("before the published closing date"), std::string::npos);

  // The findings of the closed consultation, as the API's findings route gives them, keep
  // judging the actual days.
  auto later = consultation_findings(store->get_consultation(id)->to_json(), {}, policy, day("2026-05-01"));
  ASSERT_TRUE(later.ok());
  const Finding* kept = find(*later, "C-MIN");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->figures.at("length_days"), 1);
}

TEST_F(ActualDatesTest, OnThePublishedDatesNothingIsRefusedAndTheDaysAreRecorded) {
  const std::string id = scheduled();
  auto opened = step(id, ConsultationStatus::kOpen, "2026-03-02");
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  EXPECT_FALSE(opened->exception_recorded);
  EXPECT_EQ(opened->consultation.document["opened_on"], "2026-03-02");
  // Closing on the closing date itself is not before it.
  auto closed = step(id, ConsultationStatus::kClosed, "2026-04-12");
  ASSERT_TRUE(closed.ok()) << closed.error().describe();
  EXPECT_EQ(closed->consultation.document["closed_on"], "2026-04-12");
  EXPECT_EQ(find(closed->findings, "C-MIN"), nullptr);
}

TEST_F(ActualDatesTest, OpenedLateItIsShorterThanSixWeeks) {
  // Opened three days after the published date, to close on the published closing date: it
  // would be open 39 days, less than six weeks, so opening late breaches C-MIN although the plan
  // met it; with an exception it opens, and closing on the date is judged the same way.
  const std::string id = scheduled();
  auto late = step(id, ConsultationStatus::kOpen, "2026-03-05");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().refusal, Refusal::kCharterBreach);
  EXPECT_EQ(late.error().rules, std::vector<std::string>{"C-MIN"});
  const Finding* min = find(late.error().findings, "C-MIN");
  ASSERT_NE(min, nullptr);
  EXPECT_EQ(min->figures.at("length_days"), 39);
  EXPECT_NE(min->message.find("it opened Thursday 5 March 2026"), std::string::npos) << min->message;
  ASSERT_TRUE(step(id, ConsultationStatus::kOpen, "2026-03-05", true).ok());
  auto closed = step(id, ConsultationStatus::kClosed, "2026-04-12");
  ASSERT_TRUE(closed.ok()) << closed.error().describe();  // the exception covers C-MIN
  const Finding* judged = find(closed->findings, "C-MIN");
  ASSERT_NE(judged, nullptr);
  EXPECT_EQ(judged->figures.at("length_days"), 39);
}

TEST_F(ActualDatesTest, EveryConsultationKeepsItsPublishedClosingDateNotOnlyBigOnes) {
  const std::string id = scheduled(/*big=*/false);
  ASSERT_TRUE(step(id, ConsultationStatus::kOpen, "2026-03-02").ok());
  auto early = step(id, ConsultationStatus::kClosed, "2026-04-05");
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().refusal, Refusal::kBeforePublishedDate);
  EXPECT_TRUE(early.error().rules.empty());
}

TEST_F(ActualDatesTest, TheScheduleOpensAndClosesOnItsDatesWithoutExceptions) {
  const std::string id = scheduled();
  auto opened = run_schedule(*store, Actor::system("system (schedule)"), policy, day("2026-03-02"));
  ASSERT_TRUE(opened.ok());
  ASSERT_EQ(opened->size(), 1u);
  EXPECT_FALSE((*opened)[0].refused.has_value());
  auto closed = run_schedule(*store, Actor::system("system (schedule)"), policy, day("2026-04-13"));
  ASSERT_TRUE(closed.ok());
  ASSERT_EQ(closed->size(), 1u);
  EXPECT_FALSE((*closed)[0].refused.has_value());
  auto rec = store->get_consultation(id);
  EXPECT_EQ(rec->document["opened_on"], "2026-03-02");
  EXPECT_EQ(rec->document["closed_on"], "2026-04-13");
}

TEST_F(ActualDatesTest, AnImportRecordsNoActualDays) {
  // add_consultation brings in steps taken earlier: the published dates stand for them.
  nlohmann::json doc = {{"title", "Old"},
                        {"opens", "2025-01-06"},
                        {"closes", "2025-01-31"},
                        {"proposal", "Open on Saturday afternoons."},
                        {"reasons", "Money is short."},
                        {"options_considered", {{{"option", "Close on Mondays"}, {"rejected", true}}}}};
  auto rec = add_consultation(*store, doc, ConsultationStatus::kClosed, officer, policy, day("2026-02-01"));
  ASSERT_TRUE(rec.ok()) << rec.error().describe();
  EXPECT_FALSE(rec->document.contains("opened_on"));
  EXPECT_FALSE(rec->document.contains("closed_on"));
}

TEST(ActualDates, ACheckFileJudgesC_MinOnTheRecordedDays) {
  // As GET /api/v1/consultations/{id} gives it: planned six weeks, really open 2–20 March 2026.
  nlohmann::json doc = {{"id", "c-9"},
                        {"title", "Parks"},
                        {"big_decision", true},
                        {"opens", "2026-03-02"},
                        {"closes", "2026-04-12"},
                        {"opened_on", "2026-03-02"},
                        {"closed_on", "2026-03-20"}};
  auto fs = consultation_findings(doc, {}, CharterPolicy::defaults(), day("2026-03-21"));
  ASSERT_TRUE(fs.ok()) << fs.error().describe();
  const Finding* min = find(*fs, "C-MIN");
  ASSERT_NE(min, nullptr);
  EXPECT_EQ(min->severity, Severity::kBreach);
  EXPECT_EQ(min->figures.at("length_days"), 19);
}

}  // namespace
}  // namespace townhall
