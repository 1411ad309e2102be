// The Forward Plan register beyond key decisions: meetings of the executive, urgency reports to
// full council and scrutiny referrals (each recorded, read, listed and withdrawn), and withdrawing
// a key decision. Every change goes through compliance/register.h, which checks it as part of the
// whole register and audits it with the caller's identity.
#include "http/api_impl.h"
#include "api/handlers.h"
#include "api/api_kit.h"
#include "townhall/compliance/register.h"
#include "townhall/forward_plan/forward_plan_rules.h"

namespace townhall::server {

nlohmann::json findings_for(const std::vector<Finding>& all, const std::string& id);

namespace {

// The member of the answer holding the record ("meeting", "urgency_report", ...).
const char* answer_member(RecordKind kind) { return record_kind_id(kind); }

// A record's findings: those about it (a meeting's, a decision's) or, for an urgency report or a
// referral, those about the decisions it names.
nlohmann::json register_findings(Api::Impl& api, RecordKind kind, const nlohmann::json& doc, const std::string& id) {
  auto plan = read_register(api.store);
  if (!plan) return nlohmann::json::array();
  auto all = check_forward_plan(*plan, api.options.policy, api.today());
  if (kind == RecordKind::kUrgencyReport) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : doc.value("decision_ids", nlohmann::json::array())) {
      for (const auto& f : all) {
        if (f.subject_id == d.get<std::string>() && f.rule == "KD-5") out.push_back(f.to_json());
      }
    }
    return out;
  }
  return findings_for(all, id);
}

}  // namespace

// PUT /api/v1/executive-meetings/{id}, /api/v1/urgency-reports/{id}, /api/v1/scrutiny-referrals/{id}
template <RecordKind K>
void put_register_record(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  const std::string& id = ctx.params["id"];
  auto stored = record_in_register(api.store, K, id, ctx.body, Actor::of(ctx.user));
  if (!stored) {
    Error e = stored.error();
    if (e.code == ErrorCode::kInvalidArgument && (e.field == "/id" || e.field == "/decision_id")) {
      return respond(problem(422, "id-mismatch", "Id mismatch", e.message, e.field));
    }
    return respond(error_response(e));
  }
  respond(json_response(200, {{answer_member(K), *stored}, {"findings", register_findings(api, K, *stored, id)}}));
}

// GET one record.
template <RecordKind K>
void get_register_record(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  const std::string& id = ctx.params["id"];
  auto one = register_record(api.store, K, id);
  if (!one) return respond(error_response(one.error()));
  respond(json_response(200, {{answer_member(K), *one}, {"findings", register_findings(api, K, *one, id)}}));
}

// GET the list of one kind, by id.
template <RecordKind K>
void list_register_records(Api::Impl& api, RequestContext&, Respond& respond) {
  auto records = api.store.register_records();
  if (!records) return respond(error_response(records.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : *records) {
    if (r.kind == K) items.push_back(r.document);
  }
  respond(json_response(200, {{"items", items}}));
}

// POST …/{id}/withdrawal {"reason": "..."}: the record leaves the register, its last version and
// the reason kept in the audit log.
template <RecordKind K>
void post_register_withdrawal(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto st = withdraw_from_register(api.store, K, ctx.params["id"], ctx.body["reason"].get<std::string>(),
                                   Actor::of(ctx.user));
  if (!st) return respond(error_response(st.error()));
  respond(no_content());
}

template void put_register_record<RecordKind::kMeeting>(Api::Impl&, RequestContext&, Respond&);
template void put_register_record<RecordKind::kUrgencyReport>(Api::Impl&, RequestContext&, Respond&);
template void put_register_record<RecordKind::kScrutinyReferral>(Api::Impl&, RequestContext&, Respond&);
template void get_register_record<RecordKind::kMeeting>(Api::Impl&, RequestContext&, Respond&);
template void get_register_record<RecordKind::kUrgencyReport>(Api::Impl&, RequestContext&, Respond&);
template void get_register_record<RecordKind::kScrutinyReferral>(Api::Impl&, RequestContext&, Respond&);
template void list_register_records<RecordKind::kMeeting>(Api::Impl&, RequestContext&, Respond&);
template void list_register_records<RecordKind::kUrgencyReport>(Api::Impl&, RequestContext&, Respond&);
template void list_register_records<RecordKind::kScrutinyReferral>(Api::Impl&, RequestContext&, Respond&);
template void post_register_withdrawal<RecordKind::kKeyDecision>(Api::Impl&, RequestContext&, Respond&);
template void post_register_withdrawal<RecordKind::kMeeting>(Api::Impl&, RequestContext&, Respond&);
template void post_register_withdrawal<RecordKind::kUrgencyReport>(Api::Impl&, RequestContext&, Respond&);
template void post_register_withdrawal<RecordKind::kScrutinyReferral>(Api::Impl&, RequestContext&, Respond&);

}  // namespace townhall::server
