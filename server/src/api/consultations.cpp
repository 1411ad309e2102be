// Consultations over the API: listing, drafting, editing, the questions, the charter findings
// and lifecycle transitions; and one consultation as the API shows it, in the language asked for.
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
#include "townhall/consultations/editing.h"
#include "townhall/compliance/register.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/consultations/translation.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/forward_plan_rules.h"
#include "townhall/forward_plan/outputs.h"
#include "townhall/mail/delivery.h"
#include "townhall/i18n/locale.h"
#include "townhall/responses/answers.h"
#include "townhall/responses/submission_body.h"
#include "townhall/access/token.h"
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
  nlohmann::json j = {{"id", r.id}, {"status", to_string(r.status)}, {"title", r.document.value("title", "")}};
  for (const char* k : {"summary", "opens", "closes", "wards", "topics", "channels"}) {
    if (r.document.contains(k)) j[k] = r.document[k];
  }
  return j;
}
}  // namespace

Result<ConsultationRecord> load_visible_consultation(Api::Impl& api, RequestContext& ctx) {
  auto rec = api.store.get_consultation(ctx.params["id"]);
  if (!rec) return rec.error();
  if (rec->status == ConsultationStatus::kDraft && !sees_drafts(ctx.user)) {
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
    case Refusal::kBeforePublishedDate: {
      nlohmann::json pj = {{"type", "urn:townhall:problem:before-published-date"},
                           {"title", "Not before the published date"},
                           {"status", 409},
                           {"detail", e.message},
                           {"pointer", e.field},
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
HttpResponse run_transition(Api::Impl& api, const std::string& id, const nlohmann::json& request, const User& user) {
  TransitionRequest step;
  auto to = parse_consultation_status(request["to"].get<std::string>(), "/to");
  if (!to) return error_response(to.error());
  step.to = *to;
  step.expected_version = request.value("version", int64_t{0});
  if (request.contains("outcome")) step.outcome = request["outcome"];
  if (auto ex = request.find("exception"); ex != request.end()) step.exception_request = (*ex)["request_id"].get<int64_t>();
  auto done = transition(api.store, id, step, user, api.options.policy, api.today(), now_seconds(api));
  api.invalidate(id);
  if (!done) return lifecycle_problem(done.error());
  nlohmann::json body = {{"consultation", done->consultation.to_json()},
                         {"findings", findings_to_json(done->findings)["findings"]},
                         {"exception_recorded", done->exception_recorded}};
  return with_etag(json_response(200, body), done->consultation.version);
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
  // The outbox keeps what it has sent only as long as the council's retention period says.
  auto removed = remove_expired_emails(api.store, now_seconds(api), api.options.outbox_retention_days);
  if (!removed) done.push_back("outbox not tidied: " + removed.error().describe());
  else if (*removed > 0) {
    done.push_back("outbox: " + std::to_string(*removed) + " email(s) delivered or failed more than " +
                   std::to_string(api.options.outbox_retention_days) + " days ago removed");
  }
  return done;
}

Result<std::optional<LanguageChoice>> choose_language(Api::Impl& api, RequestContext& ctx, const std::string& id) {
  std::string wanted;
  if (auto it = ctx.query.find("lang"); it != ctx.query.end()) {
    auto tag = api_language_tag(it->second, "lang");
    if (!tag) return tag.error();
    wanted = *tag;
  } else {
    wanted = ctx.request.accept_language;
  }
  if (wanted.empty()) return std::optional<LanguageChoice>();
  auto list = api.store.list_translations(id);
  if (!list) return list.error();
  LanguageChoice c;
  c.available = {std::string(i18n::kDefaultLocale)};
  for (const auto& t : *list) c.available.push_back(t.lang);
  c.lang = i18n::negotiate_language(wanted, c.available);
  for (auto& t : *list) {
    if (t.lang == c.lang) c.translation = std::move(t.document);
  }
  return std::optional<LanguageChoice>(std::move(c));
}

HttpResponse language_query_problem(const Error& e) {
  if (e.code != ErrorCode::kInvalidArgument) return error_response(e);
  return problem(400, "invalid-query", "Invalid query parameter", e.message, "?lang");
}

void mark_language(nlohmann::json& body, HttpResponse& res, const LanguageChoice& c,
                   const std::map<std::string, std::string>& fallbacks) {
  nlohmann::json field_lang = nlohmann::json::object();
  for (const auto& [pointer, lang] : fallbacks) field_lang[pointer] = lang;
  body["lang"] = c.lang;
  body["dir"] = i18n::html_dir(c.lang);
  body["field_lang"] = field_lang;
  body["languages_available"] = c.available;
  res.headers.emplace_back("Content-Language", c.lang);
}

HttpResponse consultation_response(Api::Impl& api, RequestContext& ctx, const ConsultationRecord& rec) {
  nlohmann::json body = rec.to_json();
  auto meetings = api.store.list_meetings(rec.id);
  if (!meetings) return error_response(meetings.error());
  body["meetings"] = nlohmann::json::array();
  for (const auto& m : *meetings) body["meetings"].push_back(meeting_json(m));

  auto choice = choose_language(api, ctx, rec.id);
  if (!choice) return language_query_problem(choice.error());
  HttpResponse res;
  if (*choice) {
    std::map<std::string, std::string> fallbacks;
    if ((*choice)->translation) {
      auto local = localise(body, *(*choice)->translation, i18n::kDefaultLocale);
      body = std::move(local.document);
      fallbacks = std::move(local.fallbacks);
    }
    mark_language(body, res, **choice, fallbacks);
  }
  res.headers.emplace_back("Vary", "Accept-Language");
  res.headers.emplace_back("ETag", "\"" + std::to_string(rec.version) + "\"");
  res.body = body.dump();
  return res;
}

namespace {

auto load_visible(Api::Impl& api, RequestContext& ctx) { return load_visible_consultation(api, ctx);
}

}  // namespace

// GET /api/v1/consultations
void get_consultations(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  ConsultationQuery q;
  auto& p = ctx.query;
  if (auto it = p.find("status"); it != p.end() && !it->second.empty()) {
    std::string s = it->second;
    q.statuses.emplace();  // only drafts asked for by someone who may not see them: none
    size_t i = 0;
    while (i <= s.size()) {
      size_t comma = s.find(',', i);
      if (comma == std::string::npos) comma = s.size();
      std::string one = s.substr(i, comma - i);
      auto status = parse_consultation_status(one);
      if (!status) return respond(query_problem(invalid_argument("status", "unknown status \"" + one + "\"")));
      if (is_public(*status) || sees_drafts(ctx.user)) q.statuses->push_back(*status);
      i = comma + 1;
    }
  } else if (!sees_drafts(ctx.user)) {
    q.statuses = public_statuses();
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
}

// POST /api/v1/consultations
void post_consultations(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto rec = create_consultation(api.store, ctx.body, Actor::of(ctx.user));
  if (!rec) return respond(error_response(rec.error()));
  auto res = with_etag(json_response(201, rec->to_json()), rec->version);
  res.headers.emplace_back("Location", "/api/v1/consultations/" + rec->id);
  respond(std::move(res));
}

// GET /api/v1/consultations/{id}
void get_consultations_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto rec = load_visible_consultation(api, ctx);
  if (!rec) return respond(error_response(rec.error()));
  respond(consultation_response(api, ctx, *rec));
}

// PUT /api/v1/consultations/{id}
void put_consultations_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
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
  auto rec = update_consultation(
      api.store, ctx.params["id"], ctx.body, expected,
      AuditEvent{actor_of(ctx.user), "consultation.update", "consultation", "", {}});
  api.invalidate(ctx.params["id"]);
  if (!rec) {
    if (rec.error().code == ErrorCode::kConflict && rec.error().field == "/version") {
      return respond(problem(412, "precondition-failed", "Precondition failed", rec.error().message));
    }
    return respond(error_response(rec.error()));
  }
  respond(with_etag(json_response(200, rec->to_json()), rec->version));
}

// DELETE /api/v1/consultations/{id}
void delete_consultations_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto st = delete_consultation(api.store, ctx.params["id"],
                                AuditEvent{actor_of(ctx.user), "consultation.delete", "consultation", "", {}});
  api.invalidate(ctx.params["id"]);
  if (!st) return respond(error_response(st.error()));
  HttpResponse r;
  r.status = 204;
  r.content_type = "application/json";
  respond(std::move(r));
}

// GET /api/v1/consultations/{id}/questions
void get_consultations_id_questions(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto rec = load_visible(api, ctx);
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
}

// GET /api/v1/consultations/{id}/findings
void get_consultations_id_findings(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto rec = load_visible(api, ctx);
  if (!rec) return respond(error_response(rec.error()));
  auto findings = consultation_findings_on_register(api.store, api.store, *rec, api.options.policy, api.today());
  if (!findings) return respond(error_response(findings.error()));
  respond(json_response(200, findings_to_json(*findings)));
}

// POST /api/v1/consultations/{id}/transitions
void post_consultations_id_transitions(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  respond(run_transition(api, ctx.params["id"], ctx.body, ctx.user));
}

}  // namespace townhall::server
