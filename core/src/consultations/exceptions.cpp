#include "townhall/consultations/exceptions.h"

#include "townhall/util/utf8.h"

namespace townhall {
namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// The name the console shows for staff user `id` (an account removed since shows its id).
std::string staff_name(StaffStore& staff, int64_t id) {
  auto account = staff.staff_account(id);
  if (account && !account->user.name.empty()) return account->user.name;
  return "staff user " + std::to_string(id);
}

Result<std::vector<ExceptionRequestView>> with_names(ExceptionStores store, Result<std::vector<ExceptionRequest>> requests) {
  if (!requests) return requests.error();
  std::vector<ExceptionRequestView> out;
  out.reserve(requests->size());
  for (auto& r : *requests) {
    ExceptionRequestView v;
    v.requested_by_name = staff_name(store.staff, r.requested_by);
    v.approver_name = staff_name(store.staff, r.approver);
    v.request = std::move(r);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

Result<ExceptionRequest> ask_for_exception(ExceptionStores store, const ExceptionAsk& ask, const User& requester, int64_t now) {
  if (requester.role != Role::kOfficer && requester.role != Role::kAdmin) {
    return invalid_argument("requested_by", "only an officer or an administrator can ask for an exception");
  }
  if (blank(ask.reason)) return invalid_argument("/reason", "give the reason for the exception");
  if (ask.reason.size() > kExceptionReasonMaxBytes) {
    return invalid_argument("/reason", "the reason is longer than " +
                                                     std::to_string(kExceptionReasonMaxBytes) + " bytes");
  }
  if (!is_valid_utf8(ask.reason)) return invalid_argument("/reason", "the reason is not UTF-8 text");
  auto current = store.consultations.get_consultation(ask.consultation_id);
  if (!current) return current.error();
  auto next = next_status(current->status);
  if (!next || *next != ask.to) {
    return Error{ErrorCode::kConflict, "/to",
                 "consultation " + current->id + " is " + to_string(current->status) + "; an exception can be asked for " +
                     (next ? std::string("the step to ") + to_string(*next) : std::string("no further step")) +
                     ", not the step to " + to_string(ask.to)};
  }
  if (ask.expected_version != 0 && ask.expected_version != current->version) {
    return Error{ErrorCode::kConflict, "/version",
                 "the consultation has changed since you saw it (version " + std::to_string(ask.expected_version) +
                     ", now " + std::to_string(current->version) + ")"};
  }
  if (ask.approver <= 0) return invalid_argument("/approver", "name the officer who must approve the exception");
  auto approver = store.staff.staff_account(ask.approver);
  if (!approver) {
    if (approver.error().code != ErrorCode::kNotFound) return approver.error();
    return invalid_argument("/approver", "there is no staff account " + std::to_string(ask.approver));
  }
  if (!approver->disabled_at.empty()) {
    return invalid_argument("/approver", approver->user.name + "'s account is disabled");
  }
  if (auto st = check_named_approver(requester, approver->user); !st) return st.error();
  ExceptionRequest r;
  r.consultation_id = current->id;
  r.consultation_version = current->version;
  r.to = ask.to;
  r.reason = ask.reason;
  r.requested_by = requester.id;
  r.approver = approver->user.id;
  r.requested_at = now;
  return store.requests.add_exception_request(
      r, AuditEvent{Actor::of(requester).who, "exception.request", "exception_request", "",
                    {{"consultation", r.consultation_id},
                     {"version", r.consultation_version},
                     {"to", to_string(r.to)},
                     {"reason", r.reason},
                     {"approver", Actor::of(approver->user).who}}});
}

Result<ExceptionRequest> decide_exception(ExceptionStores store, int64_t id, bool approve, const User& who, int64_t now) {
  auto request = store.requests.get_exception_request(id);
  if (!request) return request.error();
  auto current = store.consultations.get_consultation(request->consultation_id);
  if (!current) return current.error();
  if (auto st = check_can_decide(*request, who, now, current->version); !st) return st.error();
  const ApprovalState state = approve ? ApprovalState::kApproved : ApprovalState::kDeclined;
  auto decided = store.requests.decide_exception_request(
      id, state, now,
      AuditEvent{Actor::of(who).who, approve ? "exception.approve" : "exception.decline", "exception_request",
                 std::to_string(id), {{"consultation", request->consultation_id}, {"to", to_string(request->to)}}});
  if (!decided) return decided.error();
  request->state = state;
  request->decided_at = now;
  return *request;
}

Result<std::vector<ExceptionRequestView>> exception_requests_about(ExceptionStores store, const std::string& consultation_id) {
  return with_names(store, store.requests.exception_requests_about(consultation_id));
}

Result<std::vector<ExceptionRequestView>> exception_requests_waiting_for(ExceptionStores store, int64_t approver) {
  return with_names(store, store.requests.pending_exception_requests(approver));
}

}  // namespace townhall
