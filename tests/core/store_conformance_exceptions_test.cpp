// The store conformance suite, part 4: requests for a charter exception waiting for the second
// officer's approval, stored pending, listed for the officer named, decided once (a second
// decision is refused, as two officers deciding at once would be) and audited — on every backend
// (store_backends.h).
#include <gtest/gtest.h>

#include "store_backends.h"
#include "townhall/util/sha256.h"

namespace townhall {
namespace {

using testing_store::StoreConformance;

class ExceptionRequests : public StoreConformance {
 protected:
  static AuditEvent ev(const std::string& action) { return AuditEvent{"user:1", action, "exception_request", "", {}}; }
  ExceptionRequest request(int64_t by, int64_t approver, int64_t at) {
    ExceptionRequest r;
    r.consultation_id = "c-1";
    r.consultation_version = 1;
    r.to = ConsultationStatus::kOpen;
    r.reason = "The library roof failed; the proposal moved on.";
    r.requested_by = by;
    r.approver = approver;
    r.requested_at = at;
    return r;
  }
};

TEST_P(ExceptionRequests, StoredPendingListedForTheApproverAndDecidedOnce) {
  store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_consultation({{"title", "Parks"}}, ev("consultation.create")).ok());
  auto ann = store->add_user(Role::kOfficer, "Ann", sha256_hex("ann"));
  auto ben = store->add_user(Role::kOfficer, "Ben", sha256_hex("ben"));
  ASSERT_TRUE(ann.ok() && ben.ok());
  EXPECT_TRUE(store->pending_exception_requests(ben->id)->empty());

  auto first = store->add_exception_request(request(ann->id, ben->id, 1'800'000'000), ev("exception.request"));
  ASSERT_TRUE(first.ok()) << first.error().describe();
  auto second = store->add_exception_request(request(ann->id, ben->id, 1'800'000'100), ev("exception.request"));
  ASSERT_TRUE(second.ok());
  EXPECT_NE(first->id, second->id);
  EXPECT_EQ(first->state, ApprovalState::kPending);
  auto audit = store->audit_entries();
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->back().event.action, "exception.request");
  EXPECT_EQ(audit->back().event.subject_id, std::to_string(second->id));

  auto pending = store->pending_exception_requests(ben->id);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].id, first->id);  // oldest first
  EXPECT_EQ((*pending)[0].reason, "The library roof failed; the proposal moved on.");
  EXPECT_EQ((*pending)[0].to, ConsultationStatus::kOpen);
  EXPECT_EQ((*pending)[0].requested_at, 1'800'000'000);
  EXPECT_TRUE(store->pending_exception_requests(ann->id)->empty());

  ASSERT_TRUE(store->decide_exception_request(first->id, ApprovalState::kApproved, 1'800'000'500, ev("exception.approve")).ok());
  auto again = store->decide_exception_request(first->id, ApprovalState::kDeclined, 1'800'000'600, ev("exception.decline"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto got = store->get_exception_request(first->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state, ApprovalState::kApproved);
  EXPECT_EQ(got->decided_at, 1'800'000'500);
  EXPECT_EQ(store->audit_entries()->back().event.action, "exception.approve");
  EXPECT_EQ(store->pending_exception_requests(ben->id)->size(), 1u);
  EXPECT_EQ(store->get_exception_request(999).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->decide_exception_request(999, ApprovalState::kApproved, 1, ev("x")).error().code, ErrorCode::kNotFound);
}

TEST_P(ExceptionRequests, TheOfficerAskingCannotBeTheApproverEvenBehindTheCoresBack) {
  store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_consultation({{"title", "Parks"}}, ev("consultation.create")).ok());
  auto ann = store->add_user(Role::kOfficer, "Ann", sha256_hex("ann"));
  ASSERT_TRUE(ann.ok());
  const size_t before = store->audit_entries()->size();
  EXPECT_FALSE(store->add_exception_request(request(ann->id, ann->id, 1'800'000'000), ev("exception.request")).ok());
  EXPECT_EQ(store->audit_entries()->size(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, ExceptionRequests, ::testing::Values("sqlite", "postgresql"),
                         testing_store::backend_name);

}  // namespace
}  // namespace townhall
