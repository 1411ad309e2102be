// The live Forward Plan register (compliance/register.h over the SQLite store): records of every
// kind stored and read back, each change checked as part of the whole register (nothing written
// when refused) and audited with the actor, withdrawal, CSV import all-or-nothing with every bad
// row named, and the compliance report the same as `townhall check` on the same plan as a file.
#include <gtest/gtest.h>

#include "townhall/compliance/register.h"
#include "townhall/store/sqlite_store.h"

#include "store_test_util.h"

namespace townhall {
namespace {

using testing_store::open_ok;
using testing_store::TempDb;

const Actor kGwen{"user:2 (Gwen, governance)", Role::kGovernance};

nlohmann::json decision(const std::string& id, const std::string& date, const std::string& published) {
  return {{"id", id},
          {"matter", "Highways maintenance contract"},
          {"decision_maker", {{"name", "Cllr Asha Patel"}, {"title", "Cabinet Member for Highways"}}},
          {"decision_date", date},
          {"value_pence", 12000000},
          {"treated_as_key", true},
          {"assessment_reasons", "Spend over £100,000"},
          {"notice",
           {{"published_on", published},
            {"states_key_decision", true},
            {"matter", "Highways maintenance contract"},
            {"decision_maker", {{"name", "Cllr Asha Patel"}, {"title", "Cabinet Member for Highways"}}},
            {"decision_date", date},
            {"documents", {"Cabinet report"}},
            {"documents_available_from", "Town Hall"},
            {"other_documents_statement", true},
            {"how_to_request", "Email democratic.services@example.gov.uk"}}}};
}

nlohmann::json part_private_cabinet() {
  return {{"id", "cabinet-2025-07-17"},
          {"body", "Cabinet"},
          {"date", "2025-07-17"},
          {"private", true},
          {"notice_published_on", "2025-07-09"},
          {"agenda_published_on", "2025-07-09"},
          {"intention_notice_published_on", "2025-06-18"},
          {"intention_notice_reasons", "Item 7 is exempt: Schedule 12A paragraph 3"},
          {"further_notice",
           {{"published_on", "2025-07-09"}, {"reasons", "Item 7: commercial terms"}, {"representations_received", nlohmann::json::array()}}}};
}

bool has_rule(const std::vector<Finding>& fs, const std::string& rule, const std::string& subject, Severity s) {
  for (const auto& f : fs) {
    if (f.rule == rule && f.subject_id == subject && f.severity == s) return true;
  }
  return false;
}

TEST(ForwardPlanRegister, RecordsOfEveryKindAreStoredAuditedAndCheckedLikeTheFile) {
  TempDb db;
  auto store = open_ok(db.path());
  // 27 clear days before Thu 17 Jul 2025: published Thu 19 Jun.
  ASSERT_TRUE(record_in_register(*store, RecordKind::kKeyDecision, "KD-1", decision("KD-1", "2025-07-17", "2025-06-19"), kGwen).ok());
  auto m = record_in_register(*store, RecordKind::kMeeting, "cabinet-2025-07-17", part_private_cabinet(), kGwen);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  auto u = record_in_register(*store, RecordKind::kUrgencyReport, "council-2025-09", {{"date", "2025-09-10"}, {"decision_ids", {"KD-1"}}}, kGwen);
  ASSERT_TRUE(u.ok()) << u.error().describe();
  EXPECT_EQ((*u)["id"], "council-2025-09");  // the path's id, when the body has none
  auto r = record_in_register(*store, RecordKind::kScrutinyReferral, "KD-9",
                              {{"decision_id", "KD-9"}, {"requested_on", "2025-06-01"}, {"report_due_by", "2025-07-01"}}, kGwen);
  ASSERT_TRUE(r.ok()) << r.error().describe();

  auto plan = read_register(*store);
  ASSERT_TRUE(plan.ok()) << plan.error().describe();
  EXPECT_EQ(plan->key_decisions.size(), 1u);
  ASSERT_EQ(plan->meetings.size(), 1u);
  EXPECT_TRUE(plan->meetings[0].is_private);
  EXPECT_EQ(plan->urgency_reports.size(), 1u);
  EXPECT_EQ(plan->scrutiny_referrals.size(), 1u);

  const Date as_of = Date::from_ymd(2025, 7, 20);
  auto live = check_register(*store, CharterPolicy{}, as_of);
  ASSERT_TRUE(live.ok());
  EXPECT_TRUE(has_rule(live->findings, "KD-2", "KD-1", Severity::kBreach));       // 27 clear days, not 28
  EXPECT_TRUE(has_rule(live->findings, "KD-6", "KD-9", Severity::kBreach));       // report overdue
  EXPECT_EQ(live->meetings_checked, 1u);
  // The same findings as `townhall check` on the plan written out as a file.
  auto file = check_document(forward_plan_to_json(*plan), CharterPolicy{}, as_of);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(live->to_json(), file->to_json());

  // Every change is in the audit log with who made it.
  auto log = store->audit_entries();
  ASSERT_TRUE(log.ok());
  ASSERT_GE(log->size(), 4u);
  EXPECT_EQ(log->back().event.action, "scrutiny_referral.record");
  EXPECT_EQ(log->back().event.actor, kGwen.who);
  EXPECT_EQ((*log)[log->size() - 3].event.action, "meeting.record");
  EXPECT_EQ((*log)[log->size() - 3].event.subject_id, "cabinet-2025-07-17");
}

TEST(ForwardPlanRegister, AChangeThatBreaksTheRegisterIsRefusedAndWritesNothing) {
  TempDb db;
  auto store = open_ok(db.path());
  ASSERT_TRUE(record_in_register(*store, RecordKind::kKeyDecision, "KD-1", decision("KD-1", "2025-07-17", "2025-06-18"), kGwen).ok());
  auto before = store->audit_entries()->size();
  // An urgency report naming a decision not on the register.
  auto u = record_in_register(*store, RecordKind::kUrgencyReport, "r1", {{"date", "2025-09-10"}, {"decision_ids", {"KD-404"}}}, kGwen);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(u.error().field.rfind("/decision_ids", 0), 0u) << u.error().field;
  // A meeting whose period is impossible, a bad date, an id that is not the path's.
  auto bad = record_in_register(*store, RecordKind::kMeeting, "m1", {{"id", "m1"}, {"body", "Cabinet"}, {"date", "2025-02-30"}}, kGwen);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "/date");
  auto other = record_in_register(*store, RecordKind::kMeeting, "m1", {{"id", "m2"}, {"body", "Cabinet"}, {"date", "2025-02-03"}}, kGwen);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().field, "/id");
  EXPECT_EQ(store->audit_entries()->size(), before);
  auto plan = read_register(*store);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->meetings.empty());
  EXPECT_TRUE(plan->urgency_reports.empty());
}

TEST(ForwardPlanRegister, WithdrawingKeepsTheLastVersionInTheAuditLogAndIsRefusedWhileReferredTo) {
  TempDb db;
  auto store = open_ok(db.path());
  ASSERT_TRUE(record_in_register(*store, RecordKind::kKeyDecision, "KD-1", decision("KD-1", "2025-07-17", "2025-06-18"), kGwen).ok());
  ASSERT_TRUE(record_in_register(*store, RecordKind::kUrgencyReport, "r1", {{"date", "2025-09-10"}, {"decision_ids", {"KD-1"}}}, kGwen).ok());
  auto refused = withdraw_from_register(*store, RecordKind::kKeyDecision, "KD-1", "No longer needed", kGwen);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(register_record(*store, RecordKind::kKeyDecision, "KD-1").ok());
  ASSERT_TRUE(withdraw_from_register(*store, RecordKind::kUrgencyReport, "r1", "Entered twice", kGwen).ok());
  ASSERT_TRUE(withdraw_from_register(*store, RecordKind::kKeyDecision, "KD-1", "No longer needed", kGwen).ok());
  EXPECT_EQ(register_record(*store, RecordKind::kKeyDecision, "KD-1").error().code, ErrorCode::kNotFound);
  auto last = store->audit_entries()->back().event;
  EXPECT_EQ(last.action, "key_decision.withdraw");
  EXPECT_EQ(last.detail["reason"], "No longer needed");
  EXPECT_EQ(last.detail["document"]["matter"], "Highways maintenance contract");
  EXPECT_EQ(withdraw_from_register(*store, RecordKind::kMeeting, "none", "x", kGwen).error().code, ErrorCode::kNotFound);
}

TEST(ForwardPlanRegister, CsvImportIsAllRowsOrNoneAndNamesEveryBadRow) {
  TempDb db;
  auto store = open_ok(db.path());
  const std::string header =
      "id,matter,decision_maker,decision_date,value_pence,wards,significant_effects,treated_as_key,notice_published_on\n";
  auto bad = import_forward_plan_csv(*store,
                                     header + "KD-1,Roads,Cllr Patel,2025-07-17,12000000,Abbey,no,yes,2025-06-01\n"
                                              "KD-2,Parks,Cllr Patel,2025-02-30,100,Abbey,no,yes,2025-01-01\n"
                                              "KD-3,Libraries,Cllr Patel,2025-07-17,100,Abbey,no,yes,2025-06-01\n"
                                              "KD-4,Bins,Cllr Patel,2025-07-17,£5,Abbey,no,yes,2025-06-01\n",
                                     kGwen);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("row 3"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("row 5"), std::string::npos) << bad.error().message;
  EXPECT_EQ(bad.error().message.find("row 4"), std::string::npos) << bad.error().message;
  EXPECT_TRUE(read_register(*store)->key_decisions.empty());
  auto good = import_forward_plan_csv(*store, header + "KD-1,Roads,Cllr Patel,2025-07-17,12000000,Abbey,no,yes,2025-06-01\nKD-3,Libraries,Cllr Patel,2025-07-17,100,Abbey,no,yes,2025-06-01\n", kGwen);
  ASSERT_TRUE(good.ok()) << good.error().describe();
  EXPECT_EQ(*good, (std::vector<std::string>{"KD-1", "KD-3"}));
  EXPECT_EQ(read_register(*store)->key_decisions.size(), 2u);
  EXPECT_EQ(store->audit_entries()->back().event.action, "forward_plan.import");
}

}  // namespace
}  // namespace townhall
