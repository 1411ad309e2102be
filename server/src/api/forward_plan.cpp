// The Forward Plan of key decisions: each decision, the plan as JSON, CSV, Atom and iCalendar,
// and its compliance report.
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "api/handlers.h"
#include "api/api_kit.h"
#include "townhall/consultations/consultation.h"
#include "townhall/consultations/document.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/consultations/translation.h"
#include "townhall/compliance/register.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/forward_plan_rules.h"
#include "townhall/forward_plan/outputs.h"
#include "townhall/i18n/locale.h"
#include "townhall/responses/answers.h"
#include "townhall/responses/submission_body.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {

// The stored register (key decisions, meetings, urgency reports, referrals) as one Forward Plan
// document (forward-plan.schema.json).
Result<nlohmann::json> forward_plan_document(Api::Impl& api) {
  auto records = api.store.register_records();
  if (!records) return records.error();
  return register_plan_document(*records);
}

nlohmann::json findings_for(const std::vector<Finding>& all, const std::string& id) {
  std::vector<Finding> mine;
  for (const auto& f : all) {
    if (f.subject_id == id) mine.push_back(f);
  }
  return findings_to_json(mine)["findings"];
}

namespace {

// The Forward Plan in another format: `render` writes it as text of `content_type`.
auto plan_output(Api::Impl& api, Respond& respond, const char* content_type, std::string (*render)(const ForwardPlan&)) {
  auto doc = forward_plan_document(api);
  if (!doc) return respond(error_response(doc.error()));
  auto plan = parse_forward_plan(*doc);
  if (!plan) return respond(error_response(plan.error()));
  HttpResponse r;
  r.content_type = content_type;
  r.body = render(*plan);
  respond(std::move(r));
}

}  // namespace

// PUT /api/v1/key-decisions/{id}
void put_key_decisions_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  const std::string& id = ctx.params["id"];
  if (ctx.body["id"] != id) {
    return respond(problem(422, "id-mismatch", "Id mismatch",
                           "the body's id must be the id in the path (" + id + ")", "/id"));
  }
  // The whole register is checked with it so cross-references (urgency reports, referrals) stay valid.
  auto stored = record_in_register(api.store, RecordKind::kKeyDecision, id, ctx.body, Actor::of(ctx.user));
  if (!stored) return respond(error_response(stored.error()));
  auto plan = read_register(api.store);
  if (!plan) return respond(error_response(plan.error()));
  auto findings = check_forward_plan(*plan, api.options.policy, api.today());
  respond(json_response(200, {{"key_decision", *stored}, {"findings", findings_for(findings, id)}}));
}

// GET /api/v1/key-decisions/{id}
void get_key_decisions_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto one = api.store.get_key_decision(ctx.params["id"]);
  if (!one) return respond(error_response(one.error()));
  auto doc = forward_plan_document(api);
  if (!doc) return respond(error_response(doc.error()));
  auto plan = parse_forward_plan(*doc);
  if (!plan) return respond(error_response(plan.error()));
  auto findings = check_forward_plan(*plan, api.options.policy, api.today());
  respond(json_response(200, {{"key_decision", *one}, {"findings", findings_for(findings, ctx.params["id"])}}));
}

// GET /api/v1/forward-plan
void get_forward_plan(Api::Impl& api, RequestContext&, Respond& respond) {
  auto doc = forward_plan_document(api);
  if (!doc) return respond(error_response(doc.error()));
  respond(json_response(200, *doc));
}

// GET /api/v1/forward-plan.csv
void get_forward_plan_csv(Api::Impl& api, RequestContext&, Respond& respond) {
  plan_output(api, respond, "text/csv; charset=utf-8", [](const ForwardPlan& p) { return forward_plan_csv(p); });
}

// GET /api/v1/forward-plan.atom
void get_forward_plan_atom(Api::Impl& api, RequestContext&, Respond& respond) {
  // application/xml, not application/atom+xml: browsers show the latter as plain text and ignore
  // its stylesheet, so a resident following the feed link would read raw XML; feed readers know
  // an Atom feed by its root element.
  plan_output(api, respond, "application/xml; charset=utf-8",
              [](const ForwardPlan& p) { return forward_plan_atom(p, now_rfc3339_utc(), "/assets/forward-plan-feed.xsl"); });
}

// GET /api/v1/forward-plan.ics
void get_forward_plan_ics(Api::Impl& api, RequestContext&, Respond& respond) {
  plan_output(api, respond, "text/calendar; charset=utf-8",
              [](const ForwardPlan& p) { return forward_plan_ics(p, now_rfc3339_utc()); });
}

// GET /api/v1/forward-plan/compliance
void get_forward_plan_compliance(Api::Impl& api, RequestContext&, Respond& respond) {
  auto report = check_live_records(api.store, api.store, api.options.policy, api.today());
  if (!report) return respond(error_response(report.error()));
  respond(json_response(200, report->to_json()));
}

}  // namespace townhall::server
