// A recorded exception to the charter names a second officer who must approve it: another staff
// account with the officer or admin role, approving a request that is still pending, fresh (14
// days) and about the consultation as it still is; only then can the step run, by either officer.
#include <gtest/gtest.h>

#include "townhall/consultations/exception_approval.h"

namespace townhall {
namespace {

const User kAnn{7, "Ann", Role::kOfficer};
const User kBen{8, "Ben", Role::kOfficer};
const User kAdam{9, "Adam", Role::kAdmin};
const User kGwen{10, "Gwen", Role::kGovernance};
constexpr int64_t kAsked = 1'800'000'000;
constexpr int64_t kDay = 24 * 60 * 60;

ExceptionRequest asked_by_ann_for_ben() {
  ExceptionRequest r;
  r.id = 1;
  r.consultation_id = "c-1";
  r.consultation_version = 3;
  r.to = ConsultationStatus::kOpen;
  r.reason = "The library roof failed; the proposal moved on.";
  r.requested_by = kAnn.id;
  r.approver = kBen.id;
  r.requested_at = kAsked;
  return r;
}

TEST(ExceptionApproval, TheApproverIsAnotherOfficerOrAnAdministrator) {
  EXPECT_TRUE(check_named_approver(kAnn, kBen).ok());
  EXPECT_TRUE(check_named_approver(kAnn, kAdam).ok());
  auto self = check_named_approver(kAnn, kAnn);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().field, "/approver");
  EXPECT_FALSE(check_named_approver(kAnn, kGwen).ok());  // governance staff keep the register
  EXPECT_FALSE(check_named_approver(kAnn, User{}).ok());
}

TEST(ExceptionApproval, OnlyTheNamedApproverDecidesAPendingFreshUnchangedRequest) {
  ExceptionRequest r = asked_by_ann_for_ben();
  EXPECT_TRUE(check_can_decide(r, kBen, kAsked + kDay, 3).ok());
  EXPECT_FALSE(check_can_decide(r, kAnn, kAsked + kDay, 3).ok());   // the officer asking
  EXPECT_FALSE(check_can_decide(r, kAdam, kAsked + kDay, 3).ok());  // an admin not named
  EXPECT_FALSE(check_can_decide(r, kBen, kAsked + 14 * kDay, 3).ok());  // 14 days on: expired
  EXPECT_TRUE(check_can_decide(r, kBen, kAsked + 14 * kDay - 1, 3).ok());
  EXPECT_FALSE(check_can_decide(r, kBen, kAsked + kDay, 4).ok());  // edited since
  r.state = ApprovalState::kDeclined;
  EXPECT_FALSE(check_can_decide(r, kBen, kAsked + kDay, 3).ok());
}

TEST(ExceptionApproval, AnApprovedRequestLetsEitherOfficerTakeThatStepOnly) {
  ExceptionRequest r = asked_by_ann_for_ben();
  EXPECT_FALSE(check_usable(r, kAnn, ConsultationStatus::kOpen, kAsked + kDay, 3).ok());  // still pending
  r.state = ApprovalState::kApproved;
  r.decided_at = kAsked + kDay;
  EXPECT_TRUE(check_usable(r, kAnn, ConsultationStatus::kOpen, kAsked + 2 * kDay, 3).ok());
  EXPECT_TRUE(check_usable(r, kBen, ConsultationStatus::kOpen, kAsked + 2 * kDay, 3).ok());
  EXPECT_FALSE(check_usable(r, kAdam, ConsultationStatus::kOpen, kAsked + 2 * kDay, 3).ok());
  auto other_step = check_usable(r, kAnn, ConsultationStatus::kClosed, kAsked + 2 * kDay, 3);
  ASSERT_FALSE(other_step.ok());
  EXPECT_EQ(other_step.error().field, "/to");
  EXPECT_FALSE(check_usable(r, kAnn, ConsultationStatus::kOpen, kAsked + 15 * kDay, 3).ok());
  EXPECT_FALSE(check_usable(r, kAnn, ConsultationStatus::kOpen, kAsked + 2 * kDay, 5).ok());
}

}  // namespace
}  // namespace townhall
