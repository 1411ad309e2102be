// townhall/consultations/exception_approval.h — the rule for a second officer's approval of a
// charter exception. An officer asks for a lifecycle step with an exception, giving the reason and
// naming the officer who must approve it: another staff account with the officer or admin role.
// The request waits for that officer, who approves or declines it. Only an approved request lets
// the step run (by the officer who asked or the one who approved), and only while the approval is
// fresh (14 days from the request) and the consultation is still the version it was asked for: a
// later edit changes what was approved, so it needs asking again.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "townhall/access/role.h"
#include "townhall/consultations/status.h"
#include "townhall/error.h"

namespace townhall {

enum class ApprovalState { kPending, kApproved, kDeclined };

const char* to_string(ApprovalState state);

// How long a request, and the approval it gets, stays usable.
inline constexpr int64_t kExceptionApprovalValidSeconds = 14 * 24 * 60 * 60;

struct ExceptionRequest {
  int64_t id = 0;
  std::string consultation_id;
  int64_t consultation_version = 0;  // the version the request was made against
  ConsultationStatus to = ConsultationStatus::kOpen;
  std::string reason;
  int64_t requested_by = 0;  // staff user ids
  int64_t approver = 0;
  int64_t requested_at = 0;  // Unix seconds
  ApprovalState state = ApprovalState::kPending;
  std::optional<int64_t> decided_at;
};

// Whether `approver` may be named by `requester`: a different account, with the officer or admin
// role. kInvalidArgument naming "/approver".
Status check_named_approver(const User& requester, const User& approver);

// Whether `who` may approve or decline `request` at `now` with the consultation at
// `current_version`: the named approver, the request still pending, not expired, and the
// consultation unchanged since it was asked. kConflict naming what stands in the way.
Status check_can_decide(const ExceptionRequest& request, const User& who, int64_t now, int64_t current_version);

// Whether an approved request lets `actor` take the step to `to` at `now` with the consultation at
// `current_version`: approved, not expired, the same step and version, and the actor the officer
// who asked or the one who approved. kConflict naming what stands in the way.
Status check_usable(const ExceptionRequest& request, const User& actor, ConsultationStatus to, int64_t now,
                    int64_t current_version);

}  // namespace townhall
