// Asking for a charter exception, the second officer's decision and the step that uses it, on a
// real SQLite store. Expected values follow the rule (exception_approval.h): another officer or an
// administrator with a console account approves; the approval serves one step of one version of
// one consultation, for 14 days from the asking, taken by one of the two officers; every refusal
// changes nothing.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "exception_test_util.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/store/sqlite_store.h"

namespace townhall {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr int64_t kDay = 24 * 60 * 60;

class ExceptionCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/townhall-exceptions-XXXXXX";
    dir = mkdtemp(tmpl);
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    ann = testing::add_staff_officer(*store, "ann");
    ben = testing::add_staff_officer(*store, "ben");
    cat = testing::add_staff_officer(*store, "cat");
    gwen = testing::add_staff_officer(*store, "gwen", Role::kGovernance);
    // Five weeks for a big decision: C-MIN (six weeks) blocks scheduling.
    nlohmann::json doc = {{"title", "Library opening hours"},
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
    auto c = create_consultation(*store, doc, Actor::of(ann));
    ASSERT_TRUE(c.ok()) << c.error().describe();
    id = c->id;
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }

  ExceptionAsk ask(int64_t approver, const std::string& reason = "The budget must be set by 1 April.") {
    ExceptionAsk a;
    a.consultation_id = id;
    a.to = ConsultationStatus::kScheduled;
    a.reason = reason;
    a.approver = approver;
    return a;
  }
  size_t audit_count() { return store->audit_entries()->size(); }
  Result<Transitioned, LifecycleError> schedule(int64_t request, const User& who, int64_t now = kNow) {
    TransitionRequest step(ConsultationStatus::kScheduled);
    step.exception_request = request;
    return transition(*store, id, step, who, policy, today, now);
  }

  std::string dir, id;
  std::unique_ptr<Store> store;
  User ann, ben, cat, gwen;
  const CharterPolicy policy = CharterPolicy::defaults();
  const Date today = *Date::parse("2026-02-01");
};

TEST_F(ExceptionCommandsTest, TheApproverMustBeAnotherEnabledOfficerOrAdministrator) {
  const size_t before = audit_count();
  auto self = ask_for_exception(*store, ask(ann.id), ann, kNow);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().field, "/approver");
  auto governance = ask_for_exception(*store, ask(gwen.id), ann, kNow);
  ASSERT_FALSE(governance.ok());
  EXPECT_EQ(governance.error().field, "/approver");
  auto nobody = ask_for_exception(*store, ask(9999), ann, kNow);
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().field, "/approver");
  auto blank = ask_for_exception(*store, ask(ben.id, "  \n"), ann, kNow);
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().field, "/reason");
  auto by_governance = ask_for_exception(*store, ask(ben.id), gwen, kNow);
  EXPECT_FALSE(by_governance.ok());
  // Disabled by an administrator: no longer someone who can approve.
  const User admin = testing::add_staff_officer(*store, "root", Role::kAdmin);
  ASSERT_TRUE(change_staff_account(*store, ben.id, Role::kOfficer, true, admin).ok());
  const size_t after_disable = audit_count();
  auto disabled = ask_for_exception(*store, ask(ben.id), ann, kNow);
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.error().field, "/approver");
  EXPECT_EQ(audit_count(), after_disable);
  EXPECT_GT(after_disable, before);  // only the disabling and the new account were written
  EXPECT_TRUE(store->exception_requests_about(id)->empty());
}

TEST_F(ExceptionCommandsTest, OnlyTheNextStepOfTheVersionSeen) {
  ExceptionAsk open_now = ask(ben.id);
  open_now.to = ConsultationStatus::kOpen;  // a draft's next step is scheduling
  auto wrong_step = ask_for_exception(*store, open_now, ann, kNow);
  ASSERT_FALSE(wrong_step.ok());
  EXPECT_EQ(wrong_step.error().code, ErrorCode::kConflict);
  EXPECT_EQ(wrong_step.error().field, "/to");
  ExceptionAsk stale = ask(ben.id);
  stale.expected_version = store->get_consultation(id)->version + 1;
  auto old = ask_for_exception(*store, stale, ann, kNow);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.error().field, "/version");
}

TEST_F(ExceptionCommandsTest, ApprovedByTheNamedOfficerItLetsTheStepThroughAndIsRecorded) {
  auto asked = ask_for_exception(*store, ask(ben.id), ann, kNow);
  ASSERT_TRUE(asked.ok()) << asked.error().describe();
  EXPECT_EQ(asked->state, ApprovalState::kPending);
  EXPECT_EQ(asked->consultation_version, store->get_consultation(id)->version);
  // Pending: the step is still blocked, and says why.
  auto pending = schedule(asked->id, ann);
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().code, ErrorCode::kConflict);
  EXPECT_NE(pending.error().message.find("pending"), std::string::npos) << pending.error().message;
  // Someone other than the officer named cannot decide it.
  auto by_cat = decide_exception(*store, asked->id, true, cat, kNow + 60);
  ASSERT_FALSE(by_cat.ok());
  EXPECT_EQ(by_cat.error().code, ErrorCode::kConflict);
  auto waiting = exception_requests_waiting_for(*store, ben.id);
  ASSERT_TRUE(waiting.ok());
  ASSERT_EQ(waiting->size(), 1u);
  EXPECT_EQ((*waiting)[0].requested_by_name, "ann");
  EXPECT_EQ((*waiting)[0].approver_name, "ben");
  auto approved = decide_exception(*store, asked->id, true, ben, kNow + 60);
  ASSERT_TRUE(approved.ok()) << approved.error().describe();
  EXPECT_EQ(approved->state, ApprovalState::kApproved);
  EXPECT_TRUE(exception_requests_waiting_for(*store, ben.id)->empty());
  // Deciding twice is refused.
  EXPECT_EQ(decide_exception(*store, asked->id, false, ben, kNow + 61).error().code, ErrorCode::kConflict);
  // A third officer cannot use it.
  auto by_third = schedule(asked->id, cat);
  ASSERT_FALSE(by_third.ok());
  EXPECT_EQ(by_third.error().code, ErrorCode::kConflict);
  // Neither can a step taken by the system.
  TransitionRequest system_step(ConsultationStatus::kScheduled);
  system_step.exception_request = asked->id;
  auto by_system = transition(*store, id, system_step, Actor::system("import"), policy, today);
  ASSERT_FALSE(by_system.ok());
  EXPECT_EQ(by_system.error().field, "/exception/request_id");
  // The approver takes the step: C-MIN is recorded as excepted, with both officers and the reason.
  auto done = schedule(asked->id, ben, kNow + 120);
  ASSERT_TRUE(done.ok()) << done.error().describe();
  EXPECT_TRUE(done->exception_recorded);
  const auto& ex = done->consultation.document["exceptions"].back();
  EXPECT_EQ(ex["rules"], nlohmann::json({"C-MIN"}));
  EXPECT_EQ(ex["reason"], "The budget must be set by 1 April.");
  EXPECT_EQ(ex["requested_by"], Actor::of(ann).who);
  EXPECT_EQ(ex["approved_by"], Actor::of(ben).who);
  EXPECT_EQ(ex["request_id"], asked->id);
  EXPECT_EQ(store->get_consultation(id)->status, ConsultationStatus::kScheduled);
}

TEST_F(ExceptionCommandsTest, DeclinedOrUsedItLetsNothingThrough) {
  auto asked = ask_for_exception(*store, ask(ben.id), ann, kNow);
  ASSERT_TRUE(asked.ok());
  ASSERT_TRUE(decide_exception(*store, asked->id, false, ben, kNow).ok());
  auto declined = schedule(asked->id, ann);
  ASSERT_FALSE(declined.ok());
  EXPECT_NE(declined.error().message.find("declined"), std::string::npos);
  EXPECT_EQ(store->get_consultation(id)->status, ConsultationStatus::kDraft);
}

TEST_F(ExceptionCommandsTest, FourteenDaysFromTheAskingThenAskAgain) {
  const int64_t request = testing::approved_exception(*store, id, ConsultationStatus::kScheduled, "Budget", ann, ben, kNow);
  // One second before the fourteenth day ends it is still good; at 14 × 24 hours it is not.
  auto late = schedule(request, ann, kNow + 14 * kDay);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().field, "/exception");
  EXPECT_NE(late.error().message.find("14 days"), std::string::npos);
  EXPECT_TRUE(schedule(request, ann, kNow + 14 * kDay - 1).ok());
}

TEST_F(ExceptionCommandsTest, AnEditAfterTheApprovalNeedsAskingAgain) {
  const int64_t request = testing::approved_exception(*store, id, ConsultationStatus::kScheduled, "Budget", ann, ben, kNow);
  auto rec = store->get_consultation(id);
  nlohmann::json doc = rec->document;
  doc["proposal"] = "Open on Saturday and Sunday afternoons.";
  ASSERT_TRUE(update_consultation(*store, id, doc, rec->version, AuditEvent{Actor::of(ann).who, "consultation.update", "consultation", "", {}}).ok());
  auto changed = schedule(request, ann);
  ASSERT_FALSE(changed.ok());
  EXPECT_NE(changed.error().message.find("changed since"), std::string::npos) << changed.error().message;
  EXPECT_EQ(store->get_consultation(id)->status, ConsultationStatus::kDraft);
}

TEST_F(ExceptionCommandsTest, ARequestAboutAnotherConsultationIsNotThisOne) {
  auto other = create_consultation(*store, store->get_consultation(id)->document, Actor::of(ann));
  ASSERT_TRUE(other.ok());
  const int64_t request =
      testing::approved_exception(*store, other->id, ConsultationStatus::kScheduled, "Budget", ann, ben, kNow);
  auto wrong = schedule(request, ann);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "/exception/request_id");
  auto missing = schedule(request + 100, ann);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "/exception/request_id");
  auto about = exception_requests_about(*store, other->id);
  ASSERT_TRUE(about.ok());
  ASSERT_EQ(about->size(), 1u);
  EXPECT_EQ((*about)[0].request.state, ApprovalState::kApproved);
  EXPECT_TRUE(exception_requests_about(*store, id)->empty());
}

}  // namespace
}  // namespace townhall
