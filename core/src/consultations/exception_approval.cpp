#include "townhall/consultations/exception_approval.h"

namespace townhall {
namespace {

Error approval_conflict(const std::string& field, const std::string& message) {
  return Error{ErrorCode::kConflict, field, message};
}

// Common to deciding and using: fresh, and about the consultation as it still is.
Status still_current(const ExceptionRequest& r, int64_t now, int64_t current_version) {
  if (now >= r.requested_at + kExceptionApprovalValidSeconds) {
    return approval_conflict("/exception", "the exception was asked for more than 14 days ago; ask again");
  }
  if (current_version != r.consultation_version) {
    return approval_conflict("/exception", "the consultation has changed since the exception was asked for (version " +
                                               std::to_string(r.consultation_version) + ", now " +
                                               std::to_string(current_version) + "); ask again");
  }
  return Status::Ok();
}

}  // namespace

const char* to_string(ApprovalState state) {
  switch (state) {
    case ApprovalState::kPending: return "pending";
    case ApprovalState::kApproved: return "approved";
    case ApprovalState::kDeclined: return "declined";
  }
  return "pending";
}

Status check_named_approver(const User& requester, const User& approver) {
  if (approver.id == 0) {
    return Error{ErrorCode::kInvalidArgument, "/approver", "name the officer who must approve the exception"};
  }
  if (approver.id == requester.id) {
    return Error{ErrorCode::kInvalidArgument, "/approver",
                 "another officer must approve the exception, not the officer asking for it"};
  }
  if (approver.role != Role::kOfficer && approver.role != Role::kAdmin) {
    return Error{ErrorCode::kInvalidArgument, "/approver",
                 approver.name + " cannot approve exceptions: only an officer or an administrator can"};
  }
  return Status::Ok();
}

Status check_can_decide(const ExceptionRequest& r, const User& who, int64_t now, int64_t current_version) {
  if (who.id != r.approver) {
    return approval_conflict("/exception", "only the officer named in the request can approve or decline it");
  }
  if (r.state != ApprovalState::kPending) {
    return approval_conflict("/exception", std::string("the request has already been ") + to_string(r.state));
  }
  return still_current(r, now, current_version);
}

Status check_usable(const ExceptionRequest& r, const User& actor, ConsultationStatus to, int64_t now,
                    int64_t current_version) {
  if (r.state != ApprovalState::kApproved) {
    return approval_conflict("/exception", std::string("the exception is ") + to_string(r.state) + ", not approved");
  }
  if (actor.id != r.requested_by && actor.id != r.approver) {
    return approval_conflict("/exception", "only the officer who asked for the exception or the one who approved it "
                                           "can take the step");
  }
  if (to != r.to) {
    return approval_conflict("/to", std::string("the exception was approved for the step to ") + to_string(r.to) +
                                        ", not to " + to_string(to));
  }
  return still_current(r, now, current_version);
}

}  // namespace townhall
