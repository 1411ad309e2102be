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

// The stored key decisions as one Forward Plan document (forward-plan.schema.json), with
// `replacement` put in place of (or added after) the decision with the same id.
Result<nlohmann::json> forward_plan_document(Api::Impl& api, const nlohmann::json* replacement = nullptr) {
  auto stored = api.store.list_key_decisions();
  if (!stored) return stored.error();
  nlohmann::json decisions = nlohmann::json::array();
  bool replaced = false;
  for (auto& d : *stored) {
    if (replacement && d.value("id", "") == (*replacement)["id"]) {
      decisions.push_back(*replacement);
      replaced = true;
    } else {
      decisions.push_back(std::move(d));
    }
  }
  if (replacement && !replaced) decisions.push_back(*replacement);
  return nlohmann::json{{"key_decisions", decisions}};
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
  auto doc = forward_plan_document(api, &ctx.body);
  if (!doc) return respond(error_response(doc.error()));
  // The whole plan is checked so cross-references (urgency reports, referrals) stay valid.
  auto plan = parse_forward_plan(*doc);
  if (!plan) {
    Error e = plan.error();
    size_t index = (*doc)["key_decisions"].size() - 1;
    for (size_t i = 0; i < (*doc)["key_decisions"].size(); ++i) {
      if ((*doc)["key_decisions"][i]["id"] == id) index = i;
    }
    std::string prefix = "/key_decisions/" + std::to_string(index);
    if (e.field.rfind(prefix, 0) == 0) e.field = e.field.substr(prefix.size());
    if (e.field.empty()) e.field = "/";
    return respond(error_response(e));
  }
  auto stored = api.store.put_key_decision(id, ctx.body,
                                           AuditEvent{actor_of(ctx.user), "key_decision.record", "key_decision", id, {}});
  if (!stored) return respond(error_response(stored.error()));
  auto findings = check_forward_plan(*plan, api.options.policy, api.today());
  respond(json_response(200, {{"key_decision", ctx.body}, {"findings", findings_for(findings, id)}}));
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
  plan_output(api, respond, "application/atom+xml; charset=utf-8",
              [](const ForwardPlan& p) { return forward_plan_atom(p, now_rfc3339_utc()); });
}

// GET /api/v1/forward-plan.ics
void get_forward_plan_ics(Api::Impl& api, RequestContext&, Respond& respond) {
  plan_output(api, respond, "text/calendar; charset=utf-8",
              [](const ForwardPlan& p) { return forward_plan_ics(p, now_rfc3339_utc()); });
}

// GET /api/v1/forward-plan/compliance
void get_forward_plan_compliance(Api::Impl& api, RequestContext&, Respond& respond) {
  auto doc = forward_plan_document(api);
  if (!doc) return respond(error_response(doc.error()));
  auto plan = parse_forward_plan(*doc);
  if (!plan) return respond(error_response(plan.error()));
  auto report = findings_to_json(check_forward_plan(*plan, api.options.policy, api.today()));
  report["as_of"] = api.today().iso();
  respond(json_response(200, report));
}

}  // namespace townhall::server
