// The consultation builder and the outcome editor (builder_pages.h). The form is parsed here and
// the document goes to the core: create_consultation, or the schema and draft checks then
// update_consultation; the findings shown are consultation_findings() and the scores
// analyse_readability(). No charter rule is here.
#include "staff/builder_pages.h"

#include <cstdio>
#include <set>

#include "staff/consultation_form.h"
#include "townhall/consultations/document.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/readability/report.h"
#include "townhall/util/json_schema.h"

namespace townhall::server::staff {

namespace {

std::string builder_one_decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

nlohmann::json builder_finding_rows(const std::vector<Finding>& findings) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& f : findings) {
    rows.push_back({{"rule", f.rule},
                    {"severity", severity_id(f.severity)},
                    {"is_breach", f.severity == Severity::kBreach},
                    {"is_warning", f.severity == Severity::kWarning},
                    {"message", f.message},
                    {"citation", f.citation.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.citation)}});
  }
  return rows;
}

// The readability of the saved summary, proposal and reasons, in English and in each translation.
nlohmann::json builder_readability_rows(Api::Impl& api, const ConsultationRecord& rec) {
  nlohmann::json rows = nlohmann::json::array();
  auto add = [&rows](const nlohmann::json& doc, const std::string& lang, const char* key, const char* name) {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_string() || it->get<std::string>().empty()) return;
    auto r = readability::analyse_readability(it->get<std::string>(), lang, key);
    if (!r) return;  // no words to score
    nlohmann::json guidance = nlohmann::json::array();
    for (const auto& g : r->guidance) guidance.push_back(g.message);
    rows.push_back({{"text", std::string(name) + " (" + lang + ")"},
                    {"words_per_sentence", builder_one_decimal(r->words_per_sentence)},
                    {"ease", r->flesch_reading_ease ? builder_one_decimal(*r->flesch_reading_ease) : "–"},
                    {"age", r->reading_age ? builder_one_decimal(*r->reading_age) : "–"},
                    {"lix", builder_one_decimal(r->lix)},
                    {"guidance", guidance}});
  };
  for (auto [key, name] : {std::pair{"summary", "Summary"}, std::pair{"proposal", "Proposal"}, std::pair{"reasons", "Reasons"}}) {
    add(rec.document, "en-GB", key, name);
  }
  if (auto translations = stored_translations(api.store, rec.id)) {
    for (const auto& [lang, doc] : *translations) {
      for (auto [key, name] : {std::pair{"summary", "Summary"}, std::pair{"proposal", "Proposal"}}) add(doc, lang, key, name);
    }
  }
  return rows;
}

struct BuilderProblem {
  BuilderProblem(int s, std::string f, std::string m) : status(s), field(std::move(f)), message(std::move(m)) {}
  int status = 422;
  std::string field;    // the form field it is about
  std::string message;
  std::vector<std::pair<std::string, std::string>> more;  // further fields and their messages, in order
};

Result<HttpResponse> builder_page(Api::Impl& api, StaffContext& sc, const std::optional<ConsultationRecord>& rec,
                                  const BuilderState& state, int64_t version, const std::optional<BuilderProblem>& problem,
                                  bool saved) {
  std::map<std::string, std::string> field_errors;
  if (problem) {
    field_errors[problem->field] = problem->message;
    for (const auto& [field, message] : problem->more) field_errors.emplace(field, message);
  }
  nlohmann::json sections = builder_sections(state, field_errors);
  // The error summary lists the fields in the order the form shows them, as GOV.UK asks.
  nlohmann::json summary = nlohmann::json::array();
  std::set<std::string> shown;
  for (const auto& section : sections) {
    for (const auto& row : section["rows"]) {
      for (const auto& f : row["fields"]) {
        if (!f["error"].is_string()) continue;
        summary.push_back({{"href", "#" + f["id"].get<std::string>()}, {"message", f["error"]}});
        shown.insert(f["id"].get<std::string>());
      }
    }
  }
  for (const auto& [field, message] : field_errors) {
    if (!shown.count(field)) summary.push_back({{"href", "#" + field}, {"message", message}});
  }
  nlohmann::json data = {{"sections", sections}, {"saved", saved}};
  StaffPage p;
  if (rec) {
    const std::string title = rec->document.value("title", rec->id);
    data["id"] = rec->id;
    data["caption"] = rec->id;
    data["heading"] = "Edit " + title;
    data["action"] = "/staff/consultations/" + rec->id + "/edit";
    data["version"] = std::to_string(version);
    nlohmann::json langs = nlohmann::json::array();
    for (const auto& l : rec->document.value("languages", nlohmann::json::array())) langs.push_back({{"tag", l}});
    data["languages"] = langs;
    auto findings = consultation_findings(api.store, *rec, api.options.policy, api.today());
    if (!findings) return findings.error();
    data["show_findings"] = true;
    data["findings"] = builder_finding_rows(*findings);
    data["has_findings"] = !findings->empty();
    data["readability"] = builder_readability_rows(api, *rec);
    data["has_readability"] = !data["readability"].empty();
    p.title = "Edit " + title;
    p.back = "/staff/consultations/" + rec->id;
  } else {
    data["caption"] = "Consultations";
    data["heading"] = "New consultation";
    data["action"] = "/staff/consultations/new";
    p.title = "New consultation";
    p.back = "/staff";
  }
  if (problem) {
    p.has_error = true;
    p.status = problem->status;
    data["errors"] = summary;
  }
  return render_staff_page(sc, "staff_builder", data, p);
}

// "Summary: must be at most 5000 characters" from a core error about "/summary".
BuilderProblem builder_problem_of(const BuiltDocument& built, const Error& e, int status = 422) {
  return {status, builder_field_for(built, e.field), e.message};
}

// Every field the schema refuses (at most 20), each linked from the error summary and marked at
// its field; nothing when the document passes.
std::optional<BuilderProblem> builder_schema_problem(const BuiltDocument& built) {
  const auto errors = schema_errors(built.document, "consultation-draft.schema.json", 20);
  if (errors.empty()) return std::nullopt;
  BuilderProblem p = builder_problem_of(built, errors.front());
  for (size_t i = 1; i < errors.size(); ++i) p.more.emplace_back(builder_field_for(built, errors[i].field), errors[i].message);
  return p;
}

std::optional<int64_t> builder_form_version(const StaffContext& sc) {
  const std::string v = pages::form_value(sc.form, "version");
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(v);
}

// The database's trouble, not the form's: the error page, not the form again.
bool builder_server_trouble(const Error& e) {
  return e.code == ErrorCode::kInternal || e.code == ErrorCode::kIo || e.code == ErrorCode::kStorageFull;
}

bool builder_may_edit(const ConsultationRecord& rec) { return rec.status == ConsultationStatus::kDraft; }

HttpResponse builder_not_a_draft(const StaffContext& sc, const ConsultationRecord& rec) {
  StaffPage p;
  p.title = "Only a draft can be changed";
  p.status = 409;
  p.back = "/staff/consultations/" + rec.id;
  return render_staff_page(sc, "staff_message",
                           {{"heading", "Only a draft can be changed"},
                            {"text", "This consultation is " + std::string(to_string(rec.status)) +
                                         ", so its text stays as residents see it. Translations can still change "
                                         "until it closes."}},
                           p);
}

// GET /staff/consultations/new
Result<HttpResponse> get_new_consultation(Api::Impl& api, StaffContext& sc) {
  return builder_page(api, sc, std::nullopt, empty_builder_state(), 0, std::nullopt, false);
}

// POST /staff/consultations/new: "Add another", "Remove" or Save.
Result<HttpResponse> post_new_consultation(Api::Impl& api, StaffContext& sc) {
  BuilderState state = builder_state_posted(sc.form);
  if (apply_builder_action(state, pages::form_value(sc.form, "action"))) {
    return builder_page(api, sc, std::nullopt, state, 0, std::nullopt, false);
  }
  BuiltDocument built = build_consultation_document(state);
  if (built.error) return builder_page(api, sc, std::nullopt, state, 0, builder_problem_of(built, *built.error), false);
  if (auto problem = builder_schema_problem(built)) return builder_page(api, sc, std::nullopt, state, 0, *problem, false);
  auto rec = create_consultation(api.store, built.document, Actor::of(sc.staff->user));
  if (!rec) {
    if (builder_server_trouble(rec.error())) return rec.error();
    return builder_page(api, sc, std::nullopt, state, 0, builder_problem_of(built, rec.error()), false);
  }
  api.invalidate(rec->id);
  return pages::redirect("/staff/consultations/" + rec->id + "/edit?saved=1");
}

// GET /staff/consultations/{id}/edit
Result<HttpResponse> get_edit_consultation(Api::Impl& api, StaffContext& sc) {
  auto rec = api.store.get_consultation(sc.ctx.params["id"]);
  if (!rec) return rec.error();
  if (!builder_may_edit(*rec)) return builder_not_a_draft(sc, *rec);
  const bool saved = sc.ctx.query.count("saved") != 0;
  return builder_page(api, sc, *rec, builder_state_of(rec->document), rec->version, std::nullopt, saved);
}

// POST /staff/consultations/{id}/edit: "Add another", "Remove" or Save (with the version the officer
// started from, so that someone else's change in the meantime is not overwritten unseen).
Result<HttpResponse> post_edit_consultation(Api::Impl& api, StaffContext& sc) {
  auto rec = api.store.get_consultation(sc.ctx.params["id"]);
  if (!rec) return rec.error();
  if (!builder_may_edit(*rec)) return builder_not_a_draft(sc, *rec);
  BuilderState state = builder_state_posted(sc.form);
  auto version = builder_form_version(sc);
  if (!version) {
    return builder_page(api, sc, *rec, state, rec->version, BuilderProblem{400, "title", "The form has no version: reload the page."},
                        false);
  }
  if (apply_builder_action(state, pages::form_value(sc.form, "action"))) {
    return builder_page(api, sc, *rec, state, *version, std::nullopt, false);
  }
  BuiltDocument built = build_consultation_document(state);
  if (built.error) return builder_page(api, sc, *rec, state, *version, builder_problem_of(built, *built.error), false);
  if (auto problem = builder_schema_problem(built)) return builder_page(api, sc, *rec, state, *version, *problem, false);
  Status checked = check_draft_document(built.document);
  if (!checked) return builder_page(api, sc, *rec, state, *version, builder_problem_of(built, checked.error()), false);
  auto saved = update_consultation(api.store, rec->id, built.document, *version,
                                   AuditEvent{Actor::of(sc.staff->user).who, "consultation.update", "consultation", "", {}});
  api.invalidate(rec->id);
  if (!saved) {
    const Error& e = saved.error();
    if (e.code == ErrorCode::kConflict && e.field == "/version") {
      // The form now carries the current version: saving again replaces the other change,
      // knowingly.
      return builder_page(api, sc, *rec, state, rec->version,
                          BuilderProblem{409, "title",
                                         "Someone else changed this consultation after you opened it, so your changes "
                                         "are not saved. They are still below: check the consultation in another tab, "
                                         "then save again to replace the other changes with yours."},
                          false);
    }
    if (e.code == ErrorCode::kConflict) return builder_not_a_draft(sc, *rec);
    if (builder_server_trouble(e) || e.code == ErrorCode::kNotFound) return e;
    return builder_page(api, sc, *rec, state, *version, builder_problem_of(built, e), false);
  }
  return pages::redirect("/staff/consultations/" + rec->id + "/edit?saved=1");
}

// ---- the outcome editor ------------------------------------------------------------------------

struct OutcomeField {
  const char* key;
  const char* label;
  const char* hint;
};
constexpr OutcomeField kBuilderOutcomeFields[] = {
    {"we_asked", "We asked", "What the consultation asked residents."},
    {"you_said", "You said", "What residents told the council."},
    {"we_did", "We did", "What the council decided or did as a result."},
};

Result<HttpResponse> builder_outcome_page(StaffContext& sc, const ConsultationRecord& rec, const nlohmann::json& values,
                                  int64_t version, const std::optional<BuilderProblem>& problem) {
  const bool published = rec.status == ConsultationStatus::kOutcomePublished;
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : kBuilderOutcomeFields) {
    const std::string id = std::string("outcome-") + f.key;
    fields.push_back({{"id", id},
                      {"name", f.key},
                      {"label", f.label},
                      {"hint", f.hint},
                      {"value", values.value(f.key, "")},
                      {"error", problem && problem->field == id ? nlohmann::json(problem->message) : nlohmann::json(false)}});
  }
  nlohmann::json data = {{"id", rec.id},
                         {"title", rec.document.value("title", rec.id)},
                         {"fields", fields},
                         {"version", std::to_string(version)},
                         {"published", published},
                         {"closed", rec.status == ConsultationStatus::kClosed}};
  StaffPage p;
  p.title = "Outcome: " + rec.document.value("title", rec.id);
  p.back = "/staff/consultations/" + rec.id;
  if (problem) {
    p.has_error = true;
    p.status = problem->status;
    data["errors"] = nlohmann::json::array({{{"href", "#" + problem->field}, {"message", problem->message}}});
  }
  return render_staff_page(sc, "staff_outcome", data, p);
}

// GET /staff/consultations/{id}/outcome
Result<HttpResponse> get_outcome(Api::Impl& api, StaffContext& sc) {
  auto rec = api.store.get_consultation(sc.ctx.params["id"]);
  if (!rec) return rec.error();
  return builder_outcome_page(sc, *rec, rec->document.value("outcome", nlohmann::json::object()), rec->version, std::nullopt);
}

// POST /staff/consultations/{id}/outcome: publishes the outcome, the core's last lifecycle step.
Result<HttpResponse> post_outcome(Api::Impl& api, StaffContext& sc) {
  auto rec = api.store.get_consultation(sc.ctx.params["id"]);
  if (!rec) return rec.error();
  nlohmann::json outcome = nlohmann::json::object();
  for (const auto& f : kBuilderOutcomeFields) outcome[f.key] = pages::form_value(sc.form, f.key);
  auto version = builder_form_version(sc);
  if (!version) return builder_outcome_page(sc, *rec, outcome, rec->version, BuilderProblem{400, "outcome-we_asked", "The form has no version: reload the page."});
  nlohmann::json body = {{"to", "outcome_published"}, {"outcome", outcome}};
  if (auto st = validate_against_schema(body, "transition.schema.json"); !st) {
    std::string field = "outcome-we_asked";
    for (const auto& f : kBuilderOutcomeFields) {
      if (st.error().field == std::string("/outcome/") + f.key) field = std::string("outcome-") + f.key;
    }
    return builder_outcome_page(sc, *rec, outcome, *version, BuilderProblem{422, field, st.error().message});
  }
  TransitionRequest step(ConsultationStatus::kOutcomePublished);
  step.expected_version = *version;
  step.outcome = outcome;
  auto done = transition(api.store, rec->id, step, sc.staff->user, api.options.policy, api.today(), now_seconds(api));
  api.invalidate(rec->id);
  if (!done) {
    const auto& e = done.error();
    if (e.code == ErrorCode::kNotFound || builder_server_trouble(e)) return Error(e);
    std::string message = e.message;
    if (e.refusal == Refusal::kCharterBreach) {
      std::string rules;
      for (const auto& r : e.rules) rules += (rules.empty() ? "" : ", ") + r;
      message = "Not published: the charter findings " + rules + " block this step.";
    } else if (e.refusal == Refusal::kInvalidTransition) {
      message = "Only a closed consultation's outcome can be published; this one is " + std::string(to_string(rec->status)) + ".";
    } else if (e.code == ErrorCode::kConflict) {
      message = "Someone else changed this consultation after you opened it. Your text is still below: save again to publish it.";
    }
    auto now = api.store.get_consultation(rec->id);
    return builder_outcome_page(sc, now ? *now : *rec, outcome, now ? now->version : *version,
                        BuilderProblem{409, "outcome-we_asked", message});
  }
  return pages::redirect("/staff/consultations/" + rec->id);
}

}  // namespace

std::vector<StaffRoute> consultation_builder_routes(const std::set<Role>& readers, const std::set<Role>& writers) {
  return {
      {"GET", "/staff/consultations/new", writers, get_new_consultation},
      {"POST", "/staff/consultations/new", writers, post_new_consultation},
      {"GET", "/staff/consultations/{id}/edit", writers, get_edit_consultation},
      {"POST", "/staff/consultations/{id}/edit", writers, post_edit_consultation},
      {"GET", "/staff/consultations/{id}/preview", readers, get_consultation_preview},
      {"GET", "/staff/consultations/{id}/outcome", writers, get_outcome},
      {"POST", "/staff/consultations/{id}/outcome", writers, post_outcome},
      {"GET", "/staff/consultations/{id}/translations/{lang}", writers, get_translation_editor},
      {"POST", "/staff/consultations/{id}/translations/{lang}", writers, post_translation_editor},
  };
}

}  // namespace townhall::server::staff
