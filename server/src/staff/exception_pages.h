// Internal to townhall_server: charter exceptions in the staff console. An officer asks for one on
// the consultation's page (the reason, and another officer or administrator to approve it); the
// officer named approves or declines it on /staff/exceptions; the consultation's step button then
// uses the approved request. The rules are the core's (consultations/exceptions.h).
// Thread-safety: the functions are safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "staff/staff_kit.h"
#include "townhall/consultations/exceptions.h"

namespace townhall::server::staff {

// What the officer typed into "Ask for an exception", kept when it is refused.
struct ExceptionAskForm {
  std::string reason;
  std::string approver;
  std::string field;  // the field the refusal names: "reason" or "approver" ("" = none)
  std::string message;
};

// Adds the consultation page's exception parts to `data` for the next step `next` of `rec`:
// the requests made about it ("exception_requests"), and, when `needs_exception` (the step is
// blocked by a breach or a published date), either the approved request the step button can use
// (the button's "exception_request" and "with_exception" in `step`), the request still waiting, or
// the form to ask for one ("ask").
Status add_exception_parts(Api::Impl& api, const StaffContext& sc, const ConsultationRecord& rec,
                           ConsultationStatus next, bool needs_exception, nlohmann::json& step, nlohmann::json& data,
                           const std::optional<ExceptionAskForm>& typed);

// GET /staff/exceptions and POST /staff/exceptions/{request_id}/decision, for `approvers`.
std::vector<StaffRoute> exception_routes(const std::set<Role>& approvers);

}  // namespace townhall::server::staff
