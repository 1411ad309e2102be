// The console's consultations: the list with charter findings at a glance, one consultation with
// its findings, lifecycle buttons and audit trail. Everything it shows or changes comes from the
// core (the consultation store, consultation_findings, transition); no charter rule is here.
#include "staff/exception_pages.h"
#include "staff/staff_kit.h"

#include "townhall/compliance/register.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"

namespace townhall::server::staff {
namespace {

constexpr int64_t kPerPage = 50;

const char* status_label(ConsultationStatus s) {
  switch (s) {
    case ConsultationStatus::kDraft: return "Draft";
    case ConsultationStatus::kScheduled: return "Scheduled";
    case ConsultationStatus::kOpen: return "Open";
    case ConsultationStatus::kClosed: return "Closed";
    case ConsultationStatus::kOutcomePublished: return "Outcome published";
  }
  return "";
}

const char* status_tag(ConsultationStatus s) {
  switch (s) {
    case ConsultationStatus::kDraft: return "govuk-tag--grey";
    case ConsultationStatus::kScheduled: return "govuk-tag--blue";
    case ConsultationStatus::kOpen: return "govuk-tag--green";
    case ConsultationStatus::kClosed: return "govuk-tag--yellow";
    case ConsultationStatus::kOutcomePublished: return "govuk-tag--purple";
  }
  return "";
}

// The button that moves a consultation to `to` ("Schedule", "Open now", "Close now").
const char* step_label(ConsultationStatus to) {
  switch (to) {
    case ConsultationStatus::kScheduled: return "Schedule";
    case ConsultationStatus::kOpen: return "Open now";
    case ConsultationStatus::kClosed: return "Close now";
    default: return nullptr;  // publishing an outcome needs the outcome's text: not a button
  }
}

std::string date_of(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string()) return "Not set";
  return format_date(it->get<std::string>());
}

nlohmann::json findings_rows(const std::vector<Finding>& findings) {
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

// Breaches and warnings as counts and rule ids, for the list.
nlohmann::json at_a_glance(const std::vector<Finding>& findings) {
  int breaches = 0, warnings = 0;
  std::vector<std::string> breach_rules, warning_rules;
  for (const auto& f : findings) {
    if (f.severity == Severity::kBreach) {
      ++breaches;
      breach_rules.push_back(f.rule);
    } else if (f.severity == Severity::kWarning) {
      ++warnings;
      warning_rules.push_back(f.rule);
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  };
  return {{"breaches", breaches},
          {"warnings", warnings},
          {"has_breaches", breaches > 0},
          {"has_warnings", warnings > 0},
          {"breach_rules", join(breach_rules)},
          {"warning_rules", join(warning_rules)},
          {"clear", breaches == 0 && warnings == 0}};
}

nlohmann::json audit_rows(Api::Impl& api, const std::string& id) {
  nlohmann::json rows = nlohmann::json::array();
  auto entries = api.store.audit_entries();
  if (!entries) return rows;
  for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
    if (it->event.subject_kind != "consultation" || it->event.subject_id != id) continue;
    rows.push_back({{"seq", it->seq}, {"at", it->at}, {"actor", it->event.actor}, {"action", it->event.action},
                    {"detail", it->event.detail.empty() ? "" : it->event.detail.dump()}});
  }
  return rows;
}

// A positive whole number typed in a form field, or nothing.
std::optional<int64_t> form_number(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int64_t v = std::stoll(text);
  if (v <= 0) return std::nullopt;
  return v;
}

Result<HttpResponse> consultation_page(Api::Impl& api, StaffContext& sc, const std::string& id,
                                       const std::optional<LifecycleError>& refused,
                                       const std::optional<ExceptionAskForm>& asked = std::nullopt) {
  auto rec = api.store.get_consultation(id);
  if (!rec) return rec.error();
  auto findings = consultation_findings_on_register(api.store, api.store, *rec, api.options.policy, api.today());
  if (!findings) return findings.error();
  auto responses = api.store.count_responses(id);
  if (!responses) return responses.error();
  const bool may_step = sc.staff->user.role == Role::kOfficer || sc.staff->user.role == Role::kAdmin;
  nlohmann::json step = false;
  bool needs_exception = false;
  const auto next = next_status(rec->status);
  if (next && may_step) {
    if (const char* label = step_label(*next)) {
      step = {{"to", to_string(*next)}, {"label", label}, {"blocked", false}};
      // What the core would say if the button were pressed now.
      LifecycleError why;
      if (!check_transition(api.store, id, TransitionRequest(*next), api.options.policy, api.today(), &why)) {
        if (why.refusal == Refusal::kCharterBreach) {
          std::string rules;
          for (const auto& r : why.rules) rules += (rules.empty() ? "" : ", ") + r;
          step["blocked"] = "Blocked by the charter findings " + rules + " below. Fix them" +
                            (rec->status == ConsultationStatus::kDraft ? " in the builder" : "") +
                            ", or ask another officer to approve an exception.";
          needs_exception = true;
        } else if (why.refusal == Refusal::kBeforePublishedDate) {
          step["blocked"] = "Not yet: " + why.message;
          needs_exception = true;
        } else if (why.refusal != Refusal::kNone) {
          step["blocked"] = "Not yet: " + why.message;
        }
      }
    }
  }
  nlohmann::json links = nlohmann::json::array();
  const std::string base = "/staff/consultations/" + id;
  if (may_step && rec->status == ConsultationStatus::kDraft) links.push_back({{"href", base + "/edit"}, {"text", "Edit in the builder"}});
  links.push_back({{"href", base + "/preview"}, {"text", "Preview the public page"}});
  if (may_step) {
    for (const auto& l : rec->document.value("languages", nlohmann::json::array())) {
      if (l.is_string()) links.push_back({{"href", base + "/translations/" + l.get<std::string>()}, {"text", "Translation: " + l.get<std::string>()}});
    }
    if (rec->status == ConsultationStatus::kClosed || rec->status == ConsultationStatus::kOutcomePublished) {
      links.push_back({{"href", base + "/outcome"}, {"text", "We asked, you said, we did (outcome)"}});
    }
  }
  const auto& doc = rec->document;
  nlohmann::json data = {{"id", rec->id},
                         {"title", doc.value("title", rec->id)},
                         {"status", status_label(rec->status)},
                         {"status_tag", status_tag(rec->status)},
                         {"opens", date_of(doc, "opens")},
                         {"closes", date_of(doc, "closes")},
                         {"version", rec->version},
                         {"responses", *responses},
                         {"findings", findings_rows(*findings)},
                         {"has_findings", !findings->empty()},
                         {"step", step},
                         {"links", links},
                         {"audit", audit_rows(api, id)}};
  if (next) {
    if (auto st = add_exception_parts(api, sc, *rec, *next, needs_exception, data["step"], data, asked); !st) return st.error();
  }
  StaffPage p;
  p.title = doc.value("title", rec->id);
  p.back = "/staff";
  if (refused) {
    p.has_error = true;
    p.status = refused->refusal == Refusal::kCharterBreach || refused->code == ErrorCode::kConflict ? 409 : 422;
    std::string message = refused->message;
    if (refused->refusal == Refusal::kCharterBreach) {
      std::string rules;
      for (const auto& r : refused->rules) rules += (rules.empty() ? "" : ", ") + r;
      message = "Not moved: the charter findings " + rules + " block this step. Fix them, or ask another officer to approve an exception.";
    }
    data["errors"] = nlohmann::json::array({{{"href", "#findings"}, {"message", message}}});
  } else if (asked && !asked->field.empty()) {
    p.has_error = true;
    p.status = 422;
    data["errors"] = nlohmann::json::array({{{"href", "#" + asked->field}, {"message", asked->message}}});
  }
  return render_staff_page(sc, "staff_consultation", data, p);
}

}  // namespace

// GET /staff (the console's home): every consultation, newest opening first.
Result<HttpResponse> get_consultations(Api::Impl& api, StaffContext& sc) {
  int64_t page = 1;
  if (auto it = sc.ctx.query.find("page"); it != sc.ctx.query.end()) {
    try {
      size_t used = 0;
      page = std::stoll(it->second, &used);
      if (used != it->second.size() || page < 1 || page > 100000) page = 0;
    } catch (const std::exception&) {
      page = 0;
    }
    if (page == 0) return Error{ErrorCode::kNotFound, "page", "no such page"};
  }
  ConsultationQuery q;
  q.sort = "-opens";
  q.limit = kPerPage;
  q.offset = (page - 1) * kPerPage;
  auto list = api.store.list_consultations(q);
  if (!list) return list.error();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& rec : list->items) {
    auto findings = consultation_findings_on_register(api.store, api.store, rec, api.options.policy, api.today());
    if (!findings) return findings.error();
    auto responses = api.store.count_responses(rec.id);
    if (!responses) return responses.error();
    rows.push_back({{"id", rec.id},
                    {"title", rec.document.value("title", rec.id)},
                    {"status", status_label(rec.status)},
                    {"status_tag", status_tag(rec.status)},
                    {"opens", date_of(rec.document, "opens")},
                    {"closes", date_of(rec.document, "closes")},
                    {"responses", *responses},
                    {"findings", at_a_glance(*findings)}});
  }
  const bool may_create = sc.staff->user.role == Role::kOfficer || sc.staff->user.role == Role::kAdmin;
  nlohmann::json data = {{"consultations", rows}, {"total", list->total}, {"none", list->total == 0}, {"may_create", may_create}};
  if (page > 1) data["previous"] = "/staff?page=" + std::to_string(page - 1);
  if (q.offset + kPerPage < list->total) data["next"] = "/staff?page=" + std::to_string(page + 1);
  StaffPage p;
  p.title = "Consultations";
  return render_staff_page(sc, "staff_consultations", data, p);
}

// GET /staff/consultations/{id}
Result<HttpResponse> get_consultation(Api::Impl& api, StaffContext& sc) {
  return consultation_page(api, sc, sc.ctx.params["id"], std::nullopt);
}

// POST /staff/consultations/{id}/transitions: to (the next status) and version (the version the
// officer saw, so a consultation changed meanwhile is not moved on what they did not see).
Result<HttpResponse> post_consultation_transition(Api::Impl& api, StaffContext& sc) {
  const std::string id = sc.ctx.params["id"];
  auto to = parse_consultation_status(pages::form_value(sc.form, "to"), "to");
  if (!to) return consultation_page(api, sc, id, LifecycleError(to.error()));
  TransitionRequest step(*to);
  const std::string version = pages::form_value(sc.form, "version");
  if (!form_number(version)) {
    return consultation_page(api, sc, id, LifecycleError(invalid_argument("version", "the form has no version")));
  }
  step.expected_version = std::stoll(version);
  if (auto ex = form_number(pages::form_value(sc.form, "exception_request"))) step.exception_request = *ex;
  auto done = transition(api.store, id, step, sc.staff->user, api.options.policy, api.today(), now_seconds(api));
  api.invalidate(id);
  if (!done) {
    if (done.error().code == ErrorCode::kNotFound) return Error(done.error());
    return consultation_page(api, sc, id, done.error());
  }
  return pages::redirect("/staff/consultations/" + id);
}

// POST /staff/consultations/{id}/exception-requests: to and version (the step and the version the
// officer saw), the reason and the approving officer.
Result<HttpResponse> post_consultation_exception_request(Api::Impl& api, StaffContext& sc) {
  const std::string id = sc.ctx.params["id"];
  ExceptionAskForm typed{pages::form_value(sc.form, "reason"), pages::form_value(sc.form, "approver"), "", ""};
  auto to = parse_consultation_status(pages::form_value(sc.form, "to"), "to");
  auto version = form_number(pages::form_value(sc.form, "version"));
  if (!to || !version) return consultation_page(api, sc, id, LifecycleError(invalid_argument("version", "the form has no step or version: reload the page")));
  ExceptionAsk ask;
  ask.consultation_id = id;
  ask.to = *to;
  ask.reason = typed.reason;
  ask.expected_version = *version;
  if (auto approver = form_number(typed.approver)) ask.approver = *approver;
  auto made = ask_for_exception(api.store, ask, sc.staff->user, now_seconds(api));
  if (!made) {
    const Error& e = made.error();
    if (e.code == ErrorCode::kNotFound && e.field.empty()) return e;
    typed.message = e.message;
    // The core's messages start in lower case; an error summary's are sentences.
    if (!typed.message.empty() && typed.message[0] >= 'a' && typed.message[0] <= 'z') {
      typed.message[0] = static_cast<char>(typed.message[0] - 'a' + 'A');
    }
    if (e.field == "/reason") typed.field = "reason";
    else if (e.field == "/approver") typed.field = "approver";
    else return consultation_page(api, sc, id, LifecycleError(e));
    return consultation_page(api, sc, id, std::nullopt, typed);
  }
  return pages::redirect("/staff/consultations/" + id + "#exception-requests");
}

}  // namespace townhall::server::staff
