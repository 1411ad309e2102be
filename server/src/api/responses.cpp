// Responses over the API: submitting one (check_response in the core, then the group commit)
// and reading them back.
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
#include "townhall/submissions/plain_submission.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {

namespace {

// A refused submission as problem+json.
HttpResponse submit_problem(const SubmitError& e) {
  switch (e.refusal) {
    case SubmitRefusal::kNotFound: return problem(404, "not-found", "Not found", e.message);
    case SubmitRefusal::kNotOpen: return problem(409, "not-open", "Not open for responses", e.message, e.field);
    case SubmitRefusal::kInvalidIdempotencyKey:
      return problem(400, "invalid-idempotency-key", "Invalid Idempotency-Key", e.message);
    case SubmitRefusal::kChannelNotAllowed:
    case SubmitRefusal::kPersonNotAllowed: return problem(403, "forbidden", "Forbidden", e.message, e.field);
    case SubmitRefusal::kChannelNotOffered:
      return problem(422, "channel-not-offered", "Channel not offered", e.message, e.field);
    case SubmitRefusal::kInvalidAnswer: return problem(422, "invalid-answer", "Invalid answer", e.message, e.field);
    case SubmitRefusal::kNone: break;
  }
  return error_response(e);
}

// Queues a checked submission for the group commit and answers 201 (or the store's error) once the
// transaction holding it has committed. Shared by the general and the plain-body paths.
void answer_when_stored(Api::Impl& api, Submission checked, const Respond& respond) {
  api.committer.submit(std::move(checked), [respond](Result<StoredResponse> r) {
    // Runs for every response of the batch once it has committed (on an I/O thread when the server
    // set an executor): the body is written directly (same members, in the same order, as
    // nlohmann would) rather than built as a tree.
    if (!r) return respond(error_response(r.error()));
    HttpResponse res;
    res.status = 201;
    std::string& body = res.body;
    body.reserve(160 + r->consultation_id.size());
    body += "{\"channel\":";
    append_json_string(body, r->channel);
    body += ",\"consultation_id\":";
    append_json_string(body, r->consultation_id);
    body += ",\"created_at\":";
    append_json_string(body, r->created_at);
    body += ",\"id\":" + std::to_string(r->id) + ",\"language\":";
    append_json_string(body, r->language);
    body += ",\"reference\":";
    append_json_string(body, r->reference);
    body += "}";
    res.headers.emplace_back("Location", "/api/v1/consultations/" + r->consultation_id + "/responses/" +
                                             std::to_string(r->id));
    if (r->replayed) res.headers.emplace_back("Idempotent-Replayed", "true");
    respond(std::move(res));
  });
}

}  // namespace

// POST /api/v1/consultations/{id}/responses
void post_consultations_id_responses(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto entry = api.cached(ctx.params["id"]);
  if (!entry) return respond(error_response(entry.error()));
  ResponseRequest request;
  request.channel = ctx.body.value("channel", "online");
  request.language = ctx.body.value("language", "en-GB");
  if (ctx.body.contains("person_id")) request.person_id = ctx.body["person_id"].get<int64_t>();
  request.answers = std::move(ctx.body["answers"]);
  request.idempotency_key = ctx.request.idempotency_key;
  request.idempotency_text = ctx.request.body;
  auto checked = check_response(api.store, **entry, Respondent{ctx.user, std::nullopt}, std::move(request),
                                api.options.policy, api.today());
  if (!checked) return respond(submit_problem(checked.error()));
  answer_when_stored(api, std::move(checked).value(), respond);
}

// The common body of a viral consultation (flat answers from the public or an officer, no person
// id) read without a JSON tree. Only the accepted case is handled here: anything the handler above
// would refuse, or treat specially, goes to it, so answers and errors are the same either way
// (tests/core/submission_body_test.cpp and ApiTest.PlainAndGeneralBodies… compare the two paths).
bool post_consultations_id_responses_plain(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  thread_local PlainSubmission body;
  if (!read_plain_submission(ctx.request.body, body)) return false;
  auto entry = api.cached(ctx.params["id"]);
  if (!entry) return false;
  auto s = check_plain_response(**entry, ctx.user, body.channel, body.language, body.answers,
                                ctx.request.idempotency_key, ctx.request.body);
  if (!s) return false;
  api.plain_bodies.fetch_add(1, std::memory_order_relaxed);
  answer_when_stored(api, plain_submission(std::move(*s), ctx.user), respond);
  return true;
}

// GET /api/v1/consultations/{id}/responses
void get_consultations_id_responses(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto limit = int_param(ctx.query, "limit", 100);
  if (!limit) return respond(query_problem(limit.error()));
  auto offset = int_param(ctx.query, "offset", 0);
  if (!offset) return respond(query_problem(offset.error()));
  auto list = api.store.list_responses(ctx.params["id"], *limit, *offset);
  if (!list) {
    return respond(list.error().code == ErrorCode::kInvalidArgument ? query_problem(list.error())
                                                                    : error_response(list.error()));
  }
  auto total = api.store.count_responses(ctx.params["id"]);
  if (!total) return respond(error_response(total.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : *list) items.push_back(r.to_json());
  respond(json_response(200, {{"items", items}, {"total", *total}, {"limit", *limit}, {"offset", *offset}}));
}

// GET /api/v1/responses/{reference}
void get_responses_reference(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto r = api.store.response_by_reference(ctx.params["reference"]);
  if (!r) return respond(error_response(r.error()));
  respond(json_response(200, r->to_json()));
}

}  // namespace townhall::server
