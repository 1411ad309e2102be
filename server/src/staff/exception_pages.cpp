#include "staff/exception_pages.h"

#include "townhall/consultations/lifecycle.h"

namespace townhall::server::staff {
namespace {

// A pending request for this step of the consultation as it is, not yet expired: the approver
// could still decide it (exception_approval.h's rule, asked as the approver).
bool still_decidable(const ExceptionRequest& r, const ConsultationRecord& rec, ConsultationStatus next, int64_t now) {
  User approver;
  approver.id = r.approver;
  return r.to == next && check_can_decide(r, approver, now, rec.version).ok();
}

const char* state_tag(ApprovalState s) {
  switch (s) {
    case ApprovalState::kPending: return "govuk-tag--yellow";
    case ApprovalState::kApproved: return "govuk-tag--green";
    case ApprovalState::kDeclined: return "govuk-tag--red";
  }
  return "";
}

// The officers and administrators `sc`'s staff member may name, other than themselves.
Result<nlohmann::json> approver_choices(Api::Impl& api, const StaffContext& sc, const std::string& chosen) {
  auto accounts = api.store.staff_accounts();
  if (!accounts) return accounts.error();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : *accounts) {
    if (!a.disabled_at.empty() || a.user.id == sc.staff->user.id) continue;
    if (a.user.role != Role::kOfficer && a.user.role != Role::kAdmin) continue;
    const std::string id = std::to_string(a.user.id);
    out.push_back({{"value", id},
                   {"text", a.user.name + " (" + a.username + ", " + role_id(a.user.role) + ")"},
                   {"selected", id == chosen}});
  }
  return out;
}

nlohmann::json request_row(const ExceptionRequestView& v) {
  const ExceptionRequest& r = v.request;
  return {{"id", r.id},
          {"consultation_id", r.consultation_id},
          {"to", to_string(r.to)},
          {"version", r.consultation_version},
          {"reason", r.reason},
          {"requested_by", v.requested_by_name},
          {"approver", v.approver_name},
          {"asked", format_instant(r.requested_at)},
          {"expires", format_instant(r.requested_at + kExceptionApprovalValidSeconds)},
          {"state", to_string(r.state)},
          {"state_tag", state_tag(r.state)},
          {"decided", r.decided_at ? format_instant(*r.decided_at) : std::string()}};
}

// The requests waiting for the signed-in officer's decision; `refused` says why a decision was not
// taken.
Result<HttpResponse> exceptions_page(Api::Impl& api, StaffContext& sc, const std::optional<Error>& refused,
                                     int status = 409) {
  auto waiting = exception_requests_waiting_for(api.store, sc.staff->user.id);
  if (!waiting) return waiting.error();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& v : *waiting) {
    auto rec = api.store.get_consultation(v.request.consultation_id);
    nlohmann::json row = request_row(v);
    row["title"] = rec ? rec->document.value("title", rec->id) : v.request.consultation_id;
    // Still listed, as the request is pending; deciding it would be refused.
    row["stale"] = !rec || !check_can_decide(v.request, sc.staff->user, now_seconds(api), rec->version).ok();
    rows.push_back(std::move(row));
  }
  nlohmann::json data = {{"requests", rows}, {"none", rows.empty()}};
  if (auto it = sc.ctx.query.find("decided"); it != sc.ctx.query.end() && !refused) {
    data["decided"] = it->second == "approve" ? "approved" : "declined";
  }
  StaffPage p;
  p.title = "Exceptions waiting for your approval";
  if (refused) {
    p.has_error = true;
    p.status = status;
    data["errors"] = nlohmann::json::array({{{"href", "#requests"}, {"message", refused->message}}});
  }
  return render_staff_page(sc, "staff_exceptions", data, p);
}

// GET /staff/exceptions
Result<HttpResponse> get_exceptions(Api::Impl& api, StaffContext& sc) { return exceptions_page(api, sc, std::nullopt); }

// POST /staff/exceptions/{request_id}/decision: decision = approve or decline.
Result<HttpResponse> post_exception_decision(Api::Impl& api, StaffContext& sc) {
  auto id = id_param(sc.ctx, "request_id", "exception request");
  if (!id) return id.error();
  const std::string decision = pages::form_value(sc.form, "decision");
  if (decision != "approve" && decision != "decline") {
    return exceptions_page(api, sc, invalid_argument("decision", "Choose Approve or Decline."), 422);
  }
  auto decided = decide_exception(api.store, *id, decision == "approve", sc.staff->user, now_seconds(api));
  if (!decided) {
    // Someone else's request, or one that can no longer be decided: say why on the list.
    if (decided.error().code == ErrorCode::kConflict) return exceptions_page(api, sc, decided.error());
    return decided.error();
  }
  return pages::redirect("/staff/exceptions?decided=" + decision);
}

}  // namespace

Status add_exception_parts(Api::Impl& api, const StaffContext& sc, const ConsultationRecord& rec,
                           ConsultationStatus next, bool needs_exception, nlohmann::json& step, nlohmann::json& data,
                           const std::optional<ExceptionAskForm>& typed) {
  auto requests = exception_requests_about(api.store, rec.id);
  if (!requests) return requests.error();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& v : *requests) rows.push_back(request_row(v));
  data["exception_requests"] = rows;
  data["has_exception_requests"] = !rows.empty();
  if (!needs_exception || !step.is_object()) return Status::Ok();
  const User& me = sc.staff->user;
  const int64_t now = now_seconds(api);
  for (const auto& v : *requests) {
    const ExceptionRequest& r = v.request;
    if (r.state == ApprovalState::kApproved && check_usable(r, me, next, now, rec.version).ok()) {
      // Would the step go through with it (a breach the request did not foresee still blocks)?
      TransitionRequest with(next);
      with.exception_request = r.id;
      LifecycleError why;
      if (check_transition(api.store, rec.id, with, api.options.policy, api.today(), &why)) {
        step["blocked_by_charter"] = step["blocked"];
        step["blocked"] = false;
        step["exception_request"] = r.id;
        step["with_exception"] = "Uses the exception " + v.approver_name + " approved on " +
                                 format_instant(r.decided_at.value_or(r.requested_at)) + ": " + r.reason;
        return Status::Ok();
      }
    }
    if (still_decidable(r, rec, next, now)) {
      step["waiting"] = "Waiting for " + v.approver_name + " to approve the exception " + v.requested_by_name +
                        " asked for on " + format_instant(r.requested_at) + ".";
      return Status::Ok();
    }
  }
  auto approvers = approver_choices(api, sc, typed ? typed->approver : "");
  if (!approvers) return approvers.error();
  nlohmann::json ask = {{"to", to_string(next)},
                        {"approvers", *approvers},
                        {"no_approvers", approvers->empty()},
                        {"reason", typed ? typed->reason : ""}};
  if (typed && typed->field == "reason") ask["reason_error"] = typed->message;
  if (typed && typed->field == "approver") ask["approver_error"] = typed->message;
  step["ask"] = ask;
  return Status::Ok();
}

std::vector<StaffRoute> exception_routes(const std::set<Role>& approvers) {
  return {{"GET", "/staff/exceptions", approvers, get_exceptions},
          {"POST", "/staff/exceptions/{request_id}/decision", approvers, post_exception_decision}};
}

}  // namespace townhall::server::staff
