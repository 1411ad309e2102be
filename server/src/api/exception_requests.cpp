// API handlers for charter exceptions: an officer asks for one, the officer it names approves or
// declines it, and the lifecycle step then names the approved request (consultations.cpp). The
// rules are the core's (consultations/exceptions.h); these only parse, call and map.
#include "api/handlers.h"
#include "townhall/audit/audit.h"
#include "townhall/consultations/exceptions.h"

namespace townhall::server {
namespace {

nlohmann::json exception_request_json(const ExceptionRequestView& v) {
  const ExceptionRequest& r = v.request;
  nlohmann::json j = {{"id", r.id},
                      {"consultation_id", r.consultation_id},
                      {"consultation_version", r.consultation_version},
                      {"to", to_string(r.to)},
                      {"reason", r.reason},
                      {"requested_by", {{"id", r.requested_by}, {"name", v.requested_by_name}}},
                      {"approver", {{"id", r.approver}, {"name", v.approver_name}}},
                      {"requested_at", rfc3339_utc(r.requested_at)},
                      {"expires_at", rfc3339_utc(r.requested_at + kExceptionApprovalValidSeconds)},
                      {"state", to_string(r.state)}};
  if (r.decided_at) j["decided_at"] = rfc3339_utc(*r.decided_at);
  return j;
}

// The request `r` with its officers' names, as the API shows it.
nlohmann::json with_officer_names(Api::Impl& api, const ExceptionRequest& r) {
  auto all = exception_requests_about(api.store, r.consultation_id);
  if (all) {
    for (const auto& v : *all) {
      if (v.request.id == r.id) return exception_request_json(v);
    }
  }
  return exception_request_json(ExceptionRequestView{r, "", ""});
}

nlohmann::json items_json(const std::vector<ExceptionRequestView>& all) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& v : all) items.push_back(exception_request_json(v));
  return {{"items", items}};
}

}  // namespace

// POST /api/v1/consultations/{id}/exception-requests
void post_consultations_id_exception_requests(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  ExceptionAsk ask;
  ask.consultation_id = ctx.params["id"];
  auto to = parse_consultation_status(ctx.body["to"].get<std::string>(), "/to");
  if (!to) return respond(error_response(to.error()));
  ask.to = *to;
  ask.reason = ctx.body["reason"].get<std::string>();
  ask.approver = ctx.body["approver"].get<int64_t>();
  ask.expected_version = ctx.body.value("version", int64_t{0});
  auto made = ask_for_exception(api.store, ask, ctx.user, now_seconds(api));
  if (!made) return respond(error_response(made.error()));
  respond(json_response(201, with_officer_names(api, *made)));
}

// GET /api/v1/consultations/{id}/exception-requests
void get_consultations_id_exception_requests(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto rec = api.store.get_consultation(ctx.params["id"]);
  if (!rec) return respond(error_response(rec.error()));
  auto all = exception_requests_about(api.store, rec->id);
  if (!all) return respond(error_response(all.error()));
  respond(json_response(200, items_json(*all)));
}

// GET /api/v1/exception-requests: those waiting for the caller's decision.
void get_exception_requests(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto all = exception_requests_waiting_for(api.store, ctx.user.id);
  if (!all) return respond(error_response(all.error()));
  respond(json_response(200, items_json(*all)));
}

// POST /api/v1/exception-requests/{request_id}/decision
void post_exception_requests_id_decision(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto id = id_param(ctx, "request_id", "exception request");
  if (!id) return respond(error_response(id.error()));
  const bool approve = ctx.body["decision"].get<std::string>() == "approve";
  auto decided = decide_exception(api.store, *id, approve, ctx.user, now_seconds(api));
  if (!decided) return respond(error_response(decided.error()));
  respond(json_response(200, with_officer_names(api, *decided)));
}

}  // namespace townhall::server
