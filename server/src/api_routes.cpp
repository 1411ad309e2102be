// The /api/v1 routes. Each declares the roles allowed and the schema its body is checked against.
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "api_impl.h"
#include "townhall/consultations/consultation.h"
#include "townhall/consultations/document.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/consultations/translation.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/forward_plan_rules.h"
#include "townhall/i18n/locale.h"
#include "townhall/responses/answers.h"
#include "townhall/responses/submission_body.h"
#include "townhall/store/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {
namespace {

std::string etag(int64_t version) { return "\"" + std::to_string(version) + "\""; }

HttpResponse with_etag(HttpResponse r, int64_t version) {
  r.headers.emplace_back("ETag", etag(version));
  return r;
}

nlohmann::json listing_item(const ConsultationRecord& r) {
  nlohmann::json j = {{"id", r.id}, {"status", r.status}, {"title", r.document.value("title", "")}};
  for (const char* k : {"summary", "opens", "closes", "wards", "topics", "channels"}) {
    if (r.document.contains(k)) j[k] = r.document[k];
  }
  return j;
}

// A whole-number query parameter, as the OpenAPI document's "type": "integer" reads it: digits with
// an optional leading '-', nothing else (no spaces, '+', fraction or empty value).
Result<int64_t> int_param(const std::map<std::string, std::string>& q, const std::string& name, int64_t fallback) {
  auto it = q.find(name);
  if (it == q.end()) return fallback;
  const std::string& text = it->second;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return invalid_argument(name, "must be a whole number");
  }
  return v;
}

HttpResponse query_problem(const Error& e) {
  return problem(400, "invalid-query", "Invalid query parameter", e.message, e.field.empty() ? "" : "?" + e.field);
}

}  // namespace

Result<ConsultationRecord> load_visible_consultation(Api::Impl& api, RequestContext& ctx) {
  auto rec = api.store.get_consultation(ctx.params["id"]);
  if (!rec) return rec.error();
  if (has_status(rec->status, ConsultationStatus::kDraft) && !sees_drafts(ctx.user)) {
    return Error{ErrorCode::kNotFound, "", "no consultation \"" + ctx.params["id"] + "\""};
  }
  return rec;
}

// A refused or failed lifecycle step as problem+json. A charter breach keeps its own body: the
// breached rules and every finding, so the officer sees what to fix or to record an exception for.
HttpResponse lifecycle_problem(const LifecycleError& e) {
  switch (e.refusal) {
    case Refusal::kInvalidTransition:
      return problem(409, "invalid-transition", "Invalid transition", e.message, e.field);
    case Refusal::kOutcomeRequired: return problem(422, "schema-violation", "Outcome required", e.message, e.field);
    case Refusal::kDatesRequired: return problem(422, "incomplete", "Dates required", e.message, e.field);
    case Refusal::kCharterBreach: {
      nlohmann::json pj = {{"type", "urn:townhall:problem:charter-breach"},
                           {"title", "The charter blocks this transition"},
                           {"status", 409},
                           {"detail", e.message},
                           {"rules", e.rules},
                           {"findings", findings_to_json(e.findings)["findings"]}};
      HttpResponse r;
      r.status = 409;
      r.content_type = "application/problem+json";
      r.body = pj.dump();
      return r;
    }
    case Refusal::kNone: break;
  }
  return error_response(e);
}

// One lifecycle step for `id`, as asked in `request` (a transition.schema.json document).
HttpResponse run_transition(Api::Impl& api, const std::string& id, const nlohmann::json& request, const Actor& actor) {
  TransitionRequest step;
  auto to = parse_consultation_status(request["to"].get<std::string>(), "/to");
  if (!to) return error_response(to.error());
  step.to = *to;
  step.expected_version = request.value("version", int64_t{0});
  if (request.contains("outcome")) step.outcome = request["outcome"];
  if (auto ex = request.find("exception"); ex != request.end()) {
    step.exception = CharterException{(*ex)["reason"].get<std::string>(), (*ex)["approved_by"].get<std::string>()};
  }
  auto done = transition(api.store, id, step, actor, api.options.policy, api.today());
  api.invalidate(id);
  if (!done) return lifecycle_problem(done.error());
  nlohmann::json body = {{"consultation", done->consultation.to_json()},
                         {"findings", findings_to_json(done->findings)["findings"]},
                         {"exception_recorded", done->exception_recorded}};
  return with_etag(json_response(200, body), done->consultation.version);
}

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

std::vector<std::string> run_schedule(Api::Impl& api, Date today) {
  auto steps = townhall::run_schedule(api.store, Actor::system("system (schedule)"), api.options.policy, today);
  if (!steps) return {"schedule not run: " + steps.error().describe()};
  std::vector<std::string> done;
  for (const auto& s : *steps) {
    api.invalidate(s.consultation_id);
    const std::string to = to_string(s.to);
    done.push_back(s.refused ? s.consultation_id + " not " + to + ": " + lifecycle_problem(*s.refused).body
                             : s.consultation_id + " " + to);
  }
  return done;
}

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
void submit_response(Api::Impl& api, CheckedResponse checked, const Respond& respond) {
  store_checked_response(api, std::move(checked), [respond](Result<StoredResponse> r) {
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

void add_routes(Api::Impl& api) {
  const std::set<Role> officers = {Role::kOfficer, Role::kAdmin};
  const std::set<Role> governance = {Role::kGovernance, Role::kAdmin};
  const std::set<Role> staff = {Role::kOfficer, Role::kGovernance, Role::kAdmin};
  const std::set<Role> respondents = {Role::kPublic, Role::kPanelMember, Role::kOfficer, Role::kAdmin};

  api.add("GET", "/health", everyone(), "", [&api](RequestContext&, Respond& respond) {
    HttpResponse r;
    switch (api.audit_state.load(std::memory_order_relaxed)) {
      case AuditState::kIntact: r.body = R"({"status":"ok","audit":"ok"})"; break;
      case AuditState::kBroken: r.body = R"({"status":"ok","audit":"broken"})"; break;
      case AuditState::kUnverified: r.body = R"({"status":"ok","audit":"unverified"})"; break;
    }
    respond(std::move(r));
  });

  api.add("GET", "/api/v1/openapi.json", everyone(), "", [](RequestContext&, Respond& respond) {
    HttpResponse r;
    r.body = openapi_document();
    respond(std::move(r));
  });

  api.add("GET", "/api/v1/me", signed_in(), "", [](RequestContext& ctx, Respond& respond) {
    respond(json_response(200, {{"id", ctx.user.id}, {"name", ctx.user.name}, {"role", role_id(ctx.user.role)}}));
  });

  api.add("POST", "/api/v1/users", {Role::kAdmin}, "user-create.schema.json",
          [&api](RequestContext& ctx, Respond& respond) {
            auto role = parse_role(ctx.body["role"].get<std::string>(), "/role");
            if (!role) return respond(error_response(role.error()));
            std::string token = new_bearer_token();
            auto u = api.store.add_user(*role, ctx.body.value("name", role_id(*role)), hash_token(token));
            if (!u) return respond(error_response(u.error()));
            respond(json_response(201, {{"id", u->id}, {"name", u->name}, {"role", role_id(u->role)}, {"token", token}}));
          });

  // ---- consultations ---------------------------------------------------------------------------
  api.add("GET", "/api/v1/consultations", everyone(), "", [&api](RequestContext& ctx, Respond& respond) {
    ConsultationQuery q;
    auto& p = ctx.query;
    if (auto it = p.find("status"); it != p.end() && !it->second.empty()) {
      std::string s = it->second;
      size_t i = 0;
      while (i <= s.size()) {
        size_t comma = s.find(',', i);
        if (comma == std::string::npos) comma = s.size();
        std::string one = s.substr(i, comma - i);
        auto status = parse_consultation_status(one);
        if (!status) return respond(query_problem(invalid_argument("status", "unknown status \"" + one + "\"")));
        if (is_public(*status) || sees_drafts(ctx.user)) q.statuses.push_back(one);
        i = comma + 1;
      }
      if (q.statuses.empty()) q.statuses.push_back("none");  // only drafts asked for, and not visible
    } else if (!sees_drafts(ctx.user)) {
      q.statuses = public_status_ids();
    }
    if (auto it = p.find("ward"); it != p.end()) q.ward = it->second;
    if (auto it = p.find("topic"); it != p.end()) q.topic = it->second;
    if (auto it = p.find("q"); it != p.end()) q.search = it->second;
    if (auto it = p.find("sort"); it != p.end()) {
      // Given, it must be one of the orders; left out, the listing is by opening date, newest first.
      if (it->second.empty()) return respond(query_problem(invalid_argument("sort", "sort is empty; leave it out for -opens")));
      q.sort = it->second;
    }
    auto limit = int_param(p, "limit", 20);
    if (!limit) return respond(query_problem(limit.error()));
    auto offset = int_param(p, "offset", 0);
    if (!offset) return respond(query_problem(offset.error()));
    q.limit = *limit;
    q.offset = *offset;
    auto page = api.store.list_consultations(q);
    if (!page) {
      return respond(page.error().code == ErrorCode::kInvalidArgument ? query_problem(page.error())
                                                                      : error_response(page.error()));
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : page->items) items.push_back(listing_item(r));
    respond(json_response(200, {{"items", items}, {"total", page->total}, {"limit", q.limit}, {"offset", q.offset}}));
  });

  api.add("POST", "/api/v1/consultations", officers, "consultation-draft.schema.json",
          [&api](RequestContext& ctx, Respond& respond) {
            auto rec = create_consultation(api.store, ctx.body, Actor::of(ctx.user));
            if (!rec) return respond(error_response(rec.error()));
            auto res = with_etag(json_response(201, rec->to_json()), rec->version);
            res.headers.emplace_back("Location", "/api/v1/consultations/" + rec->id);
            respond(std::move(res));
          });

  auto load_visible = [&api](RequestContext& ctx) { return load_visible_consultation(api, ctx); };

  api.add("GET", "/api/v1/consultations/{id}", everyone(), "", [&api](RequestContext& ctx, Respond& respond) {
    auto rec = load_visible_consultation(api, ctx);
    if (!rec) return respond(error_response(rec.error()));
    respond(consultation_response(api, ctx, *rec));
  });

  api.add("PUT", "/api/v1/consultations/{id}", officers, "consultation-draft.schema.json",
          [&api](RequestContext& ctx, Respond& respond) {
            if (auto st = check_draft_document(ctx.body); !st) return respond(error_response(st.error()));
            int64_t expected = 0;
            if (!ctx.request.if_match.empty()) {
              // An ETag as GET gives it ("3"), or its bare version number; nothing else.
              std::string_view v = ctx.request.if_match;
              if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
              auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), expected);
              if (v.empty() || v.front() == '-' || ec != std::errc() || end != v.data() + v.size() || expected < 1) {
                return respond(problem(400, "invalid-if-match", "Invalid If-Match", "If-Match must be an ETag from GET."));
              }
            }
            auto rec = api.store.update_consultation(
                ctx.params["id"], ctx.body, expected,
                AuditEvent{actor_of(ctx.user), "consultation.update", "consultation", "", {}});
            api.invalidate(ctx.params["id"]);
            if (!rec) {
              if (rec.error().code == ErrorCode::kConflict && rec.error().field == "/version") {
                return respond(problem(412, "precondition-failed", "Precondition failed", rec.error().message));
              }
              return respond(error_response(rec.error()));
            }
            respond(with_etag(json_response(200, rec->to_json()), rec->version));
          });

  api.add("DELETE", "/api/v1/consultations/{id}", officers, "", [&api](RequestContext& ctx, Respond& respond) {
    auto st = api.store.delete_consultation(ctx.params["id"],
                                            AuditEvent{actor_of(ctx.user), "consultation.delete", "consultation", "", {}});
    api.invalidate(ctx.params["id"]);
    if (!st) return respond(error_response(st.error()));
    HttpResponse r;
    r.status = 204;
    r.content_type = "application/json";
    respond(std::move(r));
  });

  api.add("GET", "/api/v1/consultations/{id}/questions", everyone(), "",
          [&api, load_visible](RequestContext& ctx, Respond& respond) {
            auto rec = load_visible(ctx);
            if (!rec) return respond(error_response(rec.error()));
            auto qs = api.store.questions(rec->id);
            if (!qs) return respond(error_response(qs.error()));
            // ?lang= or Accept-Language: the question texts and option labels in that language,
            // as GET of the consultation gives them.
            auto choice = choose_language(api, ctx, rec->id);
            if (!choice) return respond(language_query_problem(choice.error()));
            HttpResponse res;
            nlohmann::json body = {{"items", *qs}};
            if (*choice) {
              std::map<std::string, std::string> fallbacks;
              if ((*choice)->translation) {
                auto local = localise_questions(*qs, *(*choice)->translation, i18n::kDefaultLocale);
                body = std::move(local.document);
                fallbacks = std::move(local.fallbacks);
              }
              mark_language(body, res, **choice, fallbacks);
            }
            res.headers.emplace_back("Vary", "Accept-Language");
            res.body = body.dump();
            respond(std::move(res));
          });

  api.add("GET", "/api/v1/consultations/{id}/findings", staff, "",
          [&api, load_visible](RequestContext& ctx, Respond& respond) {
            auto rec = load_visible(ctx);
            if (!rec) return respond(error_response(rec.error()));
            auto findings = consultation_findings(api.store, *rec, api.options.policy, api.today());
            if (!findings) return respond(error_response(findings.error()));
            respond(json_response(200, findings_to_json(*findings)));
          });

  api.add("POST", "/api/v1/consultations/{id}/transitions", officers, "transition.schema.json",
          [&api](RequestContext& ctx, Respond& respond) {
            respond(run_transition(api, ctx.params["id"], ctx.body, Actor::of(ctx.user)));
          });

  // ---- responses -------------------------------------------------------------------------------
  api.add("POST", "/api/v1/consultations/{id}/responses", respondents, "response-submission.schema.json",
          [&api](RequestContext& ctx, Respond& respond) {
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
            submit_response(api, std::move(checked).value(), respond);
          })
      // The common body of a viral consultation (flat answers from the public or an officer, no
      // person id) without a JSON tree. Only the accepted case is handled here: anything the
      // handler above would refuse, or treat specially, goes to it, so answers and errors are the
      // same either way (tests/core/submission_body_test.cpp and ApiTest.PlainAndGeneralBodies…
      // compare the two paths).
      .plain_body = [&api](RequestContext& ctx, Respond& respond) {
        thread_local PlainSubmission body;
        if (!read_plain_submission(ctx.request.body, body)) return false;
        auto entry = api.cached(ctx.params["id"]);
        if (!entry) return false;
        auto s = check_plain_response(**entry, ctx.user, body.channel, body.language, body.answers,
                                      ctx.request.idempotency_key, ctx.request.body);
        if (!s) return false;
        api.plain_bodies.fetch_add(1, std::memory_order_relaxed);
        submit_response(api, CheckedResponse{std::move(*s), {}}, respond);
        return true;
      };

  api.add("GET", "/api/v1/consultations/{id}/responses", officers, "", [&api](RequestContext& ctx, Respond& respond) {
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
  });

  api.add("GET", "/api/v1/responses/{reference}", officers, "", [&api](RequestContext& ctx, Respond& respond) {
    auto r = api.store.response_by_reference(ctx.params["reference"]);
    if (!r) return respond(error_response(r.error()));
    respond(json_response(200, r->to_json()));
  });

  // ---- Forward Plan --------------------------------------------------------------------------
  api.add("PUT", "/api/v1/key-decisions/{id}", governance, "key-decision.schema.json",
          [&api](RequestContext& ctx, Respond& respond) {
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
          });

  api.add("GET", "/api/v1/key-decisions/{id}", everyone(), "", [&api](RequestContext& ctx, Respond& respond) {
    auto one = api.store.get_key_decision(ctx.params["id"]);
    if (!one) return respond(error_response(one.error()));
    auto doc = forward_plan_document(api);
    if (!doc) return respond(error_response(doc.error()));
    auto plan = parse_forward_plan(*doc);
    if (!plan) return respond(error_response(plan.error()));
    auto findings = check_forward_plan(*plan, api.options.policy, api.today());
    respond(json_response(200, {{"key_decision", *one}, {"findings", findings_for(findings, ctx.params["id"])}}));
  });

  api.add("GET", "/api/v1/forward-plan", everyone(), "", [&api](RequestContext&, Respond& respond) {
    auto doc = forward_plan_document(api);
    if (!doc) return respond(error_response(doc.error()));
    respond(json_response(200, *doc));
  });

  auto plan_output = [&api](const char* content_type, auto render) {
    return [&api, content_type, render](RequestContext&, Respond& respond) {
      auto doc = forward_plan_document(api);
      if (!doc) return respond(error_response(doc.error()));
      auto plan = parse_forward_plan(*doc);
      if (!plan) return respond(error_response(plan.error()));
      HttpResponse r;
      r.content_type = content_type;
      r.body = render(*plan);
      respond(std::move(r));
    };
  };
  api.add("GET", "/api/v1/forward-plan.csv", everyone(), "",
          plan_output("text/csv; charset=utf-8", [](const ForwardPlan& p) { return forward_plan_csv(p); }));
  api.add("GET", "/api/v1/forward-plan.atom", everyone(), "",
          plan_output("application/atom+xml; charset=utf-8",
                      [](const ForwardPlan& p) { return forward_plan_atom(p, now_rfc3339_utc()); }));
  api.add("GET", "/api/v1/forward-plan.ics", everyone(), "",
          plan_output("text/calendar; charset=utf-8",
                      [](const ForwardPlan& p) { return forward_plan_ics(p, now_rfc3339_utc()); }));

  api.add("GET", "/api/v1/forward-plan/compliance", staff, "", [&api](RequestContext&, Respond& respond) {
    auto doc = forward_plan_document(api);
    if (!doc) return respond(error_response(doc.error()));
    auto plan = parse_forward_plan(*doc);
    if (!plan) return respond(error_response(plan.error()));
    auto report = findings_to_json(check_forward_plan(*plan, api.options.policy, api.today()));
    report["as_of"] = api.today().iso();
    respond(json_response(200, report));
  });

  // ---- audit -----------------------------------------------------------------------------------
  api.add("GET", "/api/v1/audit", governance, "", [&api](RequestContext&, Respond& respond) {
    auto entries = api.store.audit_entries();
    if (!entries) return respond(error_response(entries.error()));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& e : *entries) items.push_back(e.to_json());
    respond(json_response(200, {{"items", items}}));
  });

  api.add("GET", "/api/v1/audit/verify", governance, "", [&api](RequestContext&, Respond& respond) {
    auto v = api.store.verify_audit();
    if (!v) return respond(error_response(v.error()));
    api.audit_state.store(v->state, std::memory_order_relaxed);
    nlohmann::json j = {{"ok", v->ok}, {"state", audit_state_id(v->state)}, {"entries", v->entries},
                        {"problem", v->problem}};
    if (v->first_bad_seq) j["first_bad_seq"] = *v->first_bad_seq;
    if (v->sealed_from) j["sealed_from"] = *v->sealed_from;
    if (!v->public_key.empty()) j["public_key"] = v->public_key;
    respond(json_response(200, j));
  });

  add_panel_routes(api);
  add_panel_draw_routes(api);
  add_rest_routes(api);
  add_pages_routes(api);
  add_panel_pages_routes(api);
}

}  // namespace townhall::server
