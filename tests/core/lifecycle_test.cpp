// The lifecycle of a consultation (consultations/lifecycle.h) and its findings
// (consultations/findings.h): the charter gate, recorded exceptions, the audit trail and the
// schedule, on a real SQLite store. Expected values come from the charter rules (docs/design.md §2.3).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/consultations/editing.h"
#include "townhall/store/sqlite_store.h"
#include "exception_test_util.h"

namespace townhall {
namespace {

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/townhall-lifecycle-XXXXXX";
    dir = mkdtemp(tmpl);
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }

  size_t audit_count() { return store->audit_entries()->size(); }

  std::string dir;
  std::unique_ptr<Store> store;
  const Actor officer = Actor::of(User{7, "Ann", Role::kOfficer});
  const CharterPolicy policy = CharterPolicy::defaults();
  const Date today = *Date::parse("2026-02-01");
};

// Opens Mon 2 Mar 2026, closes Sun 5 Apr 2026: 35 days for a big decision. C-MIN asks six weeks,
// so the earliest close is Sun 12 Apr 2026; no holiday window is near (no C-EXT); proposal,
// reasons and a rejected alternative meet G2; a paper channel meets VAR.
nlohmann::json five_weeks() {
  return {{"title", "Library opening hours"},
          {"big_decision", true},
          {"opens", "2026-03-02"},
          {"closes", "2026-04-05"},
          {"summary", "We want to change library opening hours."},
          {"proposal", "Open on Saturday afternoons."},
          {"reasons", "Money is short."},
          {"options_considered",
           {{{"option", "Keep the hours"}},
            {{"option", "Close on Mondays"}, {"rejected", true}, {"reason", "Fewer people could visit."}}}},
          {"channels", {"online", "paper"}}};
}

const Finding* find(const std::vector<Finding>& fs, const std::string& rule, Severity s) {
  for (const auto& f : fs) {
    if (f.rule == rule && f.severity == s) return &f;
  }
  return nullptr;
}

TEST(ConsultationStatus, OneSpellingBothWays) {
  for (ConsultationStatus s : kConsultationStatuses) EXPECT_EQ(*parse_consultation_status(to_string(s)), s);
  EXPECT_STREQ(to_string(ConsultationStatus::kOutcomePublished), "outcome_published");
  EXPECT_EQ(parse_consultation_status("opened", "/to").error().field, "/to");
  EXPECT_EQ(next_status(ConsultationStatus::kDraft), ConsultationStatus::kScheduled);
  EXPECT_EQ(next_status(ConsultationStatus::kOutcomePublished), std::nullopt);
  EXPECT_EQ(public_statuses(), (std::vector<ConsultationStatus>{ConsultationStatus::kScheduled, ConsultationStatus::kOpen,
                                                             ConsultationStatus::kClosed,
                                                             ConsultationStatus::kOutcomePublished}));
}

TEST_F(LifecycleTest, CheckingAStepNamesWhatBlocksItAndChangesNothing) {
  auto c = create_consultation(*store, five_weeks(), officer);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  const size_t before = audit_count();
  LifecycleError refusal;
  Status st = check_transition(*store, c->id, TransitionRequest(ConsultationStatus::kScheduled), policy, today, &refusal);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(refusal.refusal, Refusal::kCharterBreach);
  EXPECT_EQ(refusal.rules, std::vector<std::string>{"C-MIN"});  // 35 days, six weeks needed
  EXPECT_EQ(audit_count(), before);
  EXPECT_EQ(store->get_consultation(c->id)->status, ConsultationStatus::kDraft);
  EXPECT_EQ(store->get_consultation(c->id)->version, c->version);
  // Six weeks: nothing blocks it, and it is still not taken.
  auto doc = five_weeks();
  doc["closes"] = "2026-04-12";
  ASSERT_TRUE(update_consultation(*store, c->id, doc, 0, AuditEvent{"test", "consultation.update", "consultation", "", {}}).ok());
  EXPECT_TRUE(check_transition(*store, c->id, TransitionRequest(ConsultationStatus::kScheduled), policy, today).ok());
  EXPECT_EQ(store->get_consultation(c->id)->status, ConsultationStatus::kDraft);
  // Out of order, and unknown: the one a refusal of the step, the other not.
  LifecycleError order;
  EXPECT_FALSE(check_transition(*store, c->id, TransitionRequest(ConsultationStatus::kClosed), policy, today, &order).ok());
  EXPECT_EQ(order.refusal, Refusal::kInvalidTransition);
  LifecycleError none;
  Status missing = check_transition(*store, "c-404", TransitionRequest(ConsultationStatus::kScheduled), policy, today, &none);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(none.refusal, Refusal::kNone);
}

TEST_F(LifecycleTest, CharterBreachBlocksTheStepAndChangesNothing) {
  auto c = create_consultation(*store, five_weeks(), officer);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  const size_t before = audit_count();
  auto r = transition(*store, c->id, TransitionRequest(ConsultationStatus::kScheduled), officer, policy, today);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().refusal, Refusal::kCharterBreach);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().rules, (std::vector<std::string>{"C-MIN"}));
  EXPECT_EQ(r.error().message,
            "Breaches: [\"C-MIN\"]. Fix them, or ask another officer to approve an exception.");
  const Finding* c_min = find(r.error().findings, "C-MIN", Severity::kBreach);
  ASSERT_NE(c_min, nullptr);
  EXPECT_EQ(c_min->dates.at("required_close"), *Date::parse("2026-04-12"));
  EXPECT_EQ(c_min->figures.at("length_days"), 35);
  EXPECT_EQ(store->get_consultation(c->id)->status, ConsultationStatus::kDraft);
  EXPECT_EQ(audit_count(), before);
}

TEST_F(LifecycleTest, AnExceptionRecordedAtSchedulingCarriesToOpening) {
  auto c = create_consultation(*store, five_weeks(), officer);
  ASSERT_TRUE(c.ok());
  const User ann = testing::add_staff_officer(*store, "ann");
  const User ben = testing::add_staff_officer(*store, "ben");
  TransitionRequest step(ConsultationStatus::kScheduled);
  step.exception_request = testing::approved_exception(*store, c->id, ConsultationStatus::kScheduled, "Budget deadline", ann, ben);
  auto scheduled = transition(*store, c->id, step, ann, policy, today, std::time(nullptr));
  ASSERT_TRUE(scheduled.ok()) << scheduled.error().describe();
  EXPECT_TRUE(scheduled->exception_recorded);
  EXPECT_EQ(scheduled->consultation.status, ConsultationStatus::kScheduled);
  const auto& ex = scheduled->consultation.document["exceptions"][0];
  EXPECT_EQ(ex["rules"], nlohmann::json({"C-MIN"}));
  EXPECT_EQ(ex["recorded_by"], Actor::of(ann).who);
  EXPECT_EQ(ex["requested_by"], Actor::of(ann).who);
  EXPECT_EQ(ex["approved_by"], Actor::of(ben).who);
  EXPECT_EQ(ex["reason"], "Budget deadline");
  EXPECT_EQ(ex["request_id"], step.exception_request);
  EXPECT_EQ(ex["at_transition"], "scheduled");
  // Opened on its published opening date (opening earlier would need an exception of its own).
  auto opened = transition(*store, c->id, TransitionRequest(ConsultationStatus::kOpen), officer, policy,
                           *Date::parse("2026-03-02"));
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  EXPECT_FALSE(opened->exception_recorded);
  std::vector<std::string> actions;
  auto entries = store->audit_entries();
  ASSERT_TRUE(entries.ok());
  for (const auto& e : *entries) {
    if (e.event.subject_id == c->id) actions.push_back(e.event.action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"consultation.create", "consultation.transition",
                                               "consultation.exception", "consultation.transition"}));
  std::vector<std::string> request_actions;
  for (const auto& e : *entries) {
    if (e.event.subject_kind == "exception_request") request_actions.push_back(e.event.action);
  }
  EXPECT_EQ(request_actions, (std::vector<std::string>{"exception.request", "exception.approve"}));
}

TEST_F(LifecycleTest, OnlyTheNextStateAndTheOutcomeWithItsText) {
  auto six_weeks = five_weeks();
  six_weeks["closes"] = "2026-04-12";
  auto c = create_consultation(*store, six_weeks, officer);
  ASSERT_TRUE(c.ok());
  auto skip = transition(*store, c->id, TransitionRequest(ConsultationStatus::kOpen), officer, policy, today);
  ASSERT_FALSE(skip.ok());
  EXPECT_EQ(skip.error().refusal, Refusal::kInvalidTransition);
  EXPECT_EQ(skip.error().field, "/to");
  EXPECT_EQ(skip.error().message, "consultation " + c->id + " is draft; it can move only to scheduled, not open.");
  // Each step on its day: scheduled now, opened and closed on the published dates.
  for (auto [to, on] : {std::pair{ConsultationStatus::kScheduled, today},
                        std::pair{ConsultationStatus::kOpen, *Date::parse("2026-03-02")},
                        std::pair{ConsultationStatus::kClosed, *Date::parse("2026-04-13")}}) {
    ASSERT_TRUE(transition(*store, c->id, TransitionRequest(to), officer, policy, on).ok()) << to_string(to);
  }
  auto no_outcome =
      transition(*store, c->id, TransitionRequest(ConsultationStatus::kOutcomePublished), officer, policy, today);
  ASSERT_FALSE(no_outcome.ok());
  EXPECT_EQ(no_outcome.error().refusal, Refusal::kOutcomeRequired);
  EXPECT_EQ(no_outcome.error().field, "/outcome");
  TransitionRequest publish(ConsultationStatus::kOutcomePublished);
  publish.outcome = nlohmann::json{{"we_asked", "a"}, {"you_said", "b"}, {"we_did", "c"}};
  auto published = transition(*store, c->id, publish, officer, policy, today);
  ASSERT_TRUE(published.ok()) << published.error().describe();
  EXPECT_EQ(published->consultation.document["outcome"]["we_did"], "c");
  auto further = transition(*store, c->id, TransitionRequest(ConsultationStatus::kClosed), officer, policy, today);
  EXPECT_EQ(further.error().message,
            "consultation " + c->id + " is outcome_published; it can move only to nothing further, not closed.");
}

TEST_F(LifecycleTest, SchedulingNeedsBothDates) {
  auto doc = five_weeks();
  doc.erase("closes");
  auto c = create_consultation(*store, doc, officer);
  ASSERT_TRUE(c.ok());
  auto r = transition(*store, c->id, TransitionRequest(ConsultationStatus::kScheduled), officer, policy, today);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().refusal, Refusal::kDatesRequired);
  EXPECT_EQ(r.error().field, "/closes");
}

// LANG (docs/design.md §2.3): every promised language is complete before the consultation opens — a
// breach by default. A promised Welsh version with no translation blocks scheduling; once the
// text is published it no longer gates closing.
TEST_F(LifecycleTest, PromisedWelshWithoutATranslationBlocksSchedulingNotClosing) {
  auto doc = five_weeks();
  doc["closes"] = "2026-04-12";
  doc["languages"] = {"cy"};
  auto c = create_consultation(*store, doc, officer);
  ASSERT_TRUE(c.ok());
  auto r = transition(*store, c->id, TransitionRequest(ConsultationStatus::kScheduled), officer, policy, today);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rules, (std::vector<std::string>{"LANG"}));
  const Finding* lang = find(r.error().findings, "LANG", Severity::kBreach);
  ASSERT_NE(lang, nullptr);
  EXPECT_NE(lang->message.find("Welsh (cy)"), std::string::npos) << lang->message;
  const User ann = testing::add_staff_officer(*store, "ann");
  const User ben = testing::add_staff_officer(*store, "ben", Role::kAdmin);
  TransitionRequest excepted(ConsultationStatus::kScheduled);
  excepted.exception_request =
      testing::approved_exception(*store, c->id, ConsultationStatus::kScheduled, "Translator ill", ann, ben);
  ASSERT_TRUE(transition(*store, c->id, excepted, ben, policy, today, std::time(nullptr)).ok());
  ASSERT_TRUE(transition(*store, c->id, TransitionRequest(ConsultationStatus::kOpen), officer, policy,
                         *Date::parse("2026-03-02"))
                  .ok());
  auto closed = transition(*store, c->id, TransitionRequest(ConsultationStatus::kClosed), officer, policy,
                           *Date::parse("2026-04-13"));
  ASSERT_TRUE(closed.ok()) << closed.error().describe();
  for (const auto& f : closed->findings) EXPECT_NE(f.rule, "LANG");
}

// READ (docs/design.md §2.3, policy: sentences of at most 25 words) is a warning: reported, never blocking.
TEST_F(LifecycleTest, FindingsOfAStoredConsultationIncludeReadAsAWarning) {
  auto doc = five_weeks();
  doc["closes"] = "2026-04-12";
  doc["proposal"] =
      "We propose that the library opens on Saturday afternoons and closes on Monday mornings so that the "
      "staff who work there can cover the busiest hours of the week without any extra cost to the council.";
  auto c = create_consultation(*store, doc, officer);
  ASSERT_TRUE(c.ok());
  auto fs = consultation_findings(*store, *c, policy, today);
  ASSERT_TRUE(fs.ok());
  const Finding* read = find(*fs, "READ", Severity::kWarning);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->figures.at("longest_sentence_words"), 36);
  EXPECT_EQ(find(*fs, "C-MIN", Severity::kBreach), nullptr);
  auto scheduled = transition(*store, c->id, TransitionRequest(ConsultationStatus::kScheduled), officer, policy, today);
  ASSERT_TRUE(scheduled.ok());
  EXPECT_NE(find(scheduled->findings, "READ", Severity::kWarning), nullptr);
}

TEST_F(LifecycleTest, AddConsultationChecksEveryStepBeforeStoringAnything) {
  const size_t before = audit_count();
  auto refused = add_consultation(*store, five_weeks(), ConsultationStatus::kOpen, Actor::system("python"), policy, today);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().rules, (std::vector<std::string>{"C-MIN"}));
  EXPECT_EQ(store->list_consultations({})->total, 0);
  EXPECT_EQ(audit_count(), before);
  auto doc = five_weeks();
  doc["closes"] = "2026-04-12";
  auto added = add_consultation(*store, doc, ConsultationStatus::kClosed, Actor::system("python"), policy, today);
  ASSERT_TRUE(added.ok()) << added.error().describe();
  EXPECT_EQ(added->status, ConsultationStatus::kClosed);
  EXPECT_EQ(audit_count(), before + 4);  // created, scheduled, opened, closed
}

TEST_F(LifecycleTest, ScheduleOpensOnTheOpeningDayAndClosesAfterTheLast) {
  auto doc = five_weeks();
  doc["closes"] = "2026-04-12";
  auto c = add_consultation(*store, doc, ConsultationStatus::kScheduled, officer, policy, today);
  ASSERT_TRUE(c.ok());
  const Actor schedule = Actor::system("system (schedule)");
  EXPECT_TRUE(run_schedule(*store, schedule, policy, *Date::parse("2026-03-01"))->empty());
  auto opened = run_schedule(*store, schedule, policy, *Date::parse("2026-03-02"));
  ASSERT_TRUE(opened.ok());
  ASSERT_EQ(opened->size(), 1u);
  EXPECT_EQ((*opened)[0].to, ConsultationStatus::kOpen);
  EXPECT_FALSE((*opened)[0].refused.has_value());
  EXPECT_TRUE(run_schedule(*store, schedule, policy, *Date::parse("2026-04-12"))->empty());
  auto closed = run_schedule(*store, schedule, policy, *Date::parse("2026-04-13"));
  ASSERT_EQ(closed->size(), 1u);
  EXPECT_EQ((*closed)[0].to, ConsultationStatus::kClosed);
  EXPECT_EQ(store->get_consultation(c->id)->status, ConsultationStatus::kClosed);
}

}  // namespace
}  // namespace townhall
