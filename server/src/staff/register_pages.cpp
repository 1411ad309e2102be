// The console's Forward Plan register pages: for each kind of record (key decisions, meetings,
// urgency reports, scrutiny referrals) a list, a form to add one, a form to change one (with its
// findings and audit trail) and a withdrawal page; and a key decision's exception routes. Every
// change goes through compliance/register.h; the findings are check_register()'s.
#include "staff/staff_kit.h"

#include "staff/register_kinds.h"
#include "townhall/calendar/clear_days.h"
#include "townhall/compliance/register.h"

namespace townhall::server::staff {
namespace {

// "a key decision", "an urgency report".
std::string with_article(const std::string& noun) {
  return (std::string("aeiou").find(noun[0]) != std::string::npos ? "an " : "a ") + noun;
}

bool valid_record_id(const std::string& id) {
  if (id.empty() || id.size() > 100 || id == "new" || id == "import") return false;  // those are pages
  for (unsigned char c : id) {
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

nlohmann::json finding_rows(const std::vector<Finding>& findings) {
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

// The findings about one record: a decision's or a meeting's own; a referral's KD-6; a report's
// KD-5 findings on the decisions it lists.
std::vector<Finding> findings_about(const std::vector<Finding>& all, RecordKind kind, const std::string& id,
                                    const nlohmann::json& doc) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    bool mine = false;
    switch (kind) {
      case RecordKind::kKeyDecision: mine = f.subject_kind == "key_decision" && f.subject_id == id; break;
      case RecordKind::kMeeting: mine = f.subject_kind == "meeting" && f.subject_id == id; break;
      case RecordKind::kScrutinyReferral: mine = f.rule == "KD-6" && f.subject_id == id; break;
      case RecordKind::kUrgencyReport:
        if (f.rule == "KD-5") {
          for (const auto& d : doc.value("decision_ids", nlohmann::json::array())) mine = mine || d == f.subject_id;
        }
        break;
    }
    if (mine) out.push_back(f);
  }
  return out;
}

nlohmann::json audit_of(Api::Impl& api, RecordKind kind, const std::string& id) {
  nlohmann::json rows = nlohmann::json::array();
  auto entries = api.store.audit_entries();
  if (!entries) return rows;
  for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
    if (it->event.subject_kind != record_kind_id(kind) || it->event.subject_id != id) continue;
    rows.push_back({{"at", it->at}, {"actor", it->event.actor}, {"action", it->event.action}});
  }
  return rows;
}

// The latest day a key decision's notice may be published, and the practical one.
nlohmann::json deadline_of(Api::Impl& api, const nlohmann::json& doc) {
  std::string day = doc.contains("decision_date") ? doc.value("decision_date", "")
                                                  : doc.value("/decision_period/from"_json_pointer, std::string());
  auto event = Date::parse(day);
  if (!event) return false;
  const auto& policy = api.options.policy;
  const auto& period = policy.key_decision_notice;
  // A day outside the calendar's supported years has no deadline to show (the check names it).
  auto counted = latest_publication(*event, period.days, period.mode, policy.calendar());
  if (!counted) return false;
  auto working = last_working_day_on_or_before(*counted, policy.calendar());
  if (!working) return false;
  const Date latest = *counted, practical = *working;
  return {{"decision_day", format_date(event->iso())},
          {"days", period.days},
          {"mode", mode_id(period.mode)},
          {"latest", latest.long_english()},
          {"latest_iso", latest.iso()},
          {"practical", practical.long_english()},
          {"practical_differs", practical != latest}};
}

struct RegisterFormState {
  std::string id;
  nlohmann::json values;
  std::optional<Error> error;
  std::string saved;
};

Result<HttpResponse> register_record_page(Api::Impl& api, StaffContext& sc, const RegisterKind& k, bool is_new,
                                 const RegisterFormState& state, const std::vector<FormField>* fields_override = nullptr,
                                 const std::string& action_override = "") {
  const auto& fields = fields_override ? *fields_override : k.fields;
  nlohmann::json data = {{"caption", is_new ? "New " + k.singular : k.plural},
                         {"new_record", is_new},
                         {"id", state.id},
                         {"id_hint", k.id_hint},
                         {"id_error", false},
                         {"action", !action_override.empty() ? action_override : is_new ? k.base + "/new" : k.base + "/" + state.id},
                         {"withdraw", is_new || fields_override ? nlohmann::json(false) : nlohmann::json(k.base + "/" + state.id + "/withdraw")},
                         {"kind_name", k.singular},
                         {"exceptions", !is_new && !fields_override && k.kind == RecordKind::kKeyDecision
                                            ? nlohmann::json(k.base + "/" + state.id + "/exceptions")
                                            : nlohmann::json(false)},
                         {"saved", state.saved.empty() ? nlohmann::json(false) : nlohmann::json(state.saved)},
                         {"deadline", false},
                         {"has_findings", false},
                         {"has_audit", false}};
  data["heading"] = is_new ? "Add " + with_article(k.singular)
                           : std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(k.singular[0])))) +
                                 k.singular.substr(1) + " " + state.id + (fields_override ? ": exception routes" : "");
  const Error* error = state.error ? &*state.error : nullptr;
  if (error && error->field == "id") {
    data["id_error"] = error->message;
    data["fields_html"] = pages::render_fragment("staff_record_fields", {{"fieldsets", form_data(fields, state.values, nullptr)}});
  } else {
    data["fields_html"] = pages::render_fragment("staff_record_fields", {{"fieldsets", form_data(fields, state.values, error)}});
  }
  if (!is_new) {
    auto doc = register_record(api.store, k.kind, state.id);
    if (!doc) return doc.error();
    auto report = check_register(api.store, api.options.policy, api.today());
    if (!report) return report.error();
    auto mine = findings_about(report->findings, k.kind, state.id, *doc);
    data["findings"] = finding_rows(mine);
    data["has_findings"] = !mine.empty();
    if (k.kind == RecordKind::kKeyDecision) data["deadline"] = deadline_of(api, *doc);
    data["audit"] = audit_of(api, k.kind, state.id);
    data["has_audit"] = !data["audit"].empty();
  }
  StaffPage p;
  p.title = data["heading"].get<std::string>();
  p.back = k.base;
  if (error) {
    p.has_error = true;
    p.status = error->code == ErrorCode::kConflict ? 409 : 422;
    data["errors"] = error->field == "id"
                         ? nlohmann::json::array({{{"href", "#f-id"}, {"message", error->message}}})
                         : error_list(fields, *error);
  }
  return render_staff_page(sc, "staff_record", data, p);
}

template <RecordKind K>
Result<HttpResponse> register_list_page(Api::Impl& api, StaffContext& sc) {
  const RegisterKind& k = register_kind(K);
  auto records = api.store.register_records();
  if (!records) return records.error();
  auto report = check_register(api.store, api.options.policy, api.today());
  if (!report) return report.error();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : *records) {
    if (r.kind != K) continue;
    int breaches = 0, warnings = 0;
    for (const auto& f : findings_about(report->findings, K, r.id, r.document)) {
      breaches += f.severity == Severity::kBreach;
      warnings += f.severity == Severity::kWarning;
    }
    std::string summary, when;
    const auto& d = r.document;
    switch (K) {
      case RecordKind::kKeyDecision:
        summary = d.value("matter", "");
        when = d.contains("decision_date") ? format_date(d.value("decision_date", "")) : "A period";
        break;
      case RecordKind::kMeeting:
        summary = d.value("body", "") + (d.value("private", false) ? (d.value("wholly_private", false) ? " (private)" : " (part private)") : " (public)");
        when = format_date(d.value("date", ""));
        break;
      case RecordKind::kUrgencyReport:
        summary = std::to_string(d.value("decision_ids", nlohmann::json::array()).size()) + " decisions";
        when = format_date(d.value("date", ""));
        break;
      case RecordKind::kScrutinyReferral:
        summary = "Report due by " + format_date(d.value("report_due_by", ""));
        when = format_date(d.value("requested_on", ""));
        break;
    }
    rows.push_back({{"id", r.id}, {"href", k.base + "/" + r.id}, {"summary", summary}, {"when", when},
                    {"breaches", breaches}, {"warnings", warnings}, {"has_breaches", breaches > 0},
                    {"has_warnings", warnings > 0}});
  }
  nlohmann::json data = {{"heading", k.plural}, {"rows", rows}, {"none", rows.empty()}, {"new", k.base + "/new"},
                         {"add_label", "Add " + with_article(k.singular)}, {"is_key_decisions", K == RecordKind::kKeyDecision}};
  StaffPage p;
  p.title = k.plural;
  return render_staff_page(sc, "staff_register_list", data, p);
}

template <RecordKind K>
Result<HttpResponse> register_new_page(Api::Impl& api, StaffContext& sc) {
  RegisterFormState state;
  state.values = nlohmann::json::object();
  if (K == RecordKind::kKeyDecision) {
    state.values = {{"treated_as_key", "yes"}, {"notice.states_key_decision", "yes"},
                    {"notice.other_documents_statement", "yes"}, {"value_kind", "spend"}};
  }
  return register_record_page(api, sc, register_kind(K), true, state);
}

template <RecordKind K>
Result<HttpResponse> register_save(Api::Impl& api, StaffContext& sc, bool is_new) {
  const RegisterKind& k = register_kind(K);
  RegisterFormState state;
  state.id = is_new ? pages::form_value(sc.form, "id") : sc.ctx.params["id"];
  state.values = form_values_posted(k.fields, sc.form);
  if (!valid_record_id(state.id)) {
    state.error = Error{ErrorCode::kInvalidArgument, "id", "Enter a reference of letters, digits, dots, dashes or underscores (at most 100)"};
    return register_record_page(api, sc, k, is_new, state);
  }
  if (is_new && register_record(api.store, K, state.id)) {
    state.error = Error{ErrorCode::kConflict, "id", "There is already " + with_article(k.singular) + " " + state.id + ": choose another reference"};
    return register_record_page(api, sc, k, true, state);
  }
  if (!is_new) {
    if (auto existing = register_record(api.store, K, state.id); !existing) return existing.error();
  }
  auto doc = record_document(k, state.id, sc.form);
  if (doc && K == RecordKind::kKeyDecision && !is_new) {
    // The exception routes are kept: they have their own form.
    auto before = register_record(api.store, K, state.id);
    if (before) {
      for (const char* part : {"general_exception", "special_urgency"}) {
        if (before->contains(part)) (*doc)[part] = (*before)[part];
      }
    }
  }
  Result<nlohmann::json> stored = doc ? record_in_register(api.store, K, state.id, *doc, Actor::of(sc.staff->user))
                                      : Result<nlohmann::json>(doc.error());
  if (!stored) {
    state.error = stored.error();
    return register_record_page(api, sc, k, is_new, state);
  }
  return pages::redirect(k.base + "/" + state.id + "?saved=1");
}

template <RecordKind K>
Result<HttpResponse> register_post_new(Api::Impl& api, StaffContext& sc) { return register_save<K>(api, sc, true); }
template <RecordKind K>
Result<HttpResponse> register_post_edit(Api::Impl& api, StaffContext& sc) { return register_save<K>(api, sc, false); }

template <RecordKind K>
Result<HttpResponse> register_edit_page(Api::Impl& api, StaffContext& sc) {
  const RegisterKind& k = register_kind(K);
  RegisterFormState state;
  state.id = sc.ctx.params["id"];
  auto doc = register_record(api.store, K, state.id);
  if (!doc) return doc.error();
  state.values = form_values_of(k.fields, *doc);
  if (sc.ctx.query.count("saved")) state.saved = "The " + k.singular + " was saved.";
  return register_record_page(api, sc, k, false, state);
}

template <RecordKind K>
Result<HttpResponse> register_withdraw_form(Api::Impl& api, StaffContext& sc, const std::optional<Error>& error) {
  const RegisterKind& k = register_kind(K);
  const std::string id = sc.ctx.params["id"];
  if (auto doc = register_record(api.store, K, id); !doc) return doc.error();
  nlohmann::json data = {{"singular", k.singular}, {"id", id}, {"action", k.base + "/" + id + "/withdraw"},
                         {"reason", pages::form_value(sc.form, "reason")},
                         {"reason_error", error ? nlohmann::json(error->message) : nlohmann::json(false)}};
  StaffPage p;
  p.title = "Withdraw " + k.singular + " " + id;
  p.back = k.base + "/" + id;
  if (error) {
    p.has_error = true;
    p.status = error->code == ErrorCode::kConflict ? 409 : 422;
    data["errors"] = nlohmann::json::array({{{"href", "#reason"}, {"message", error->message}}});
  }
  return render_staff_page(sc, "staff_withdraw", data, p);
}

template <RecordKind K>
Result<HttpResponse> register_withdraw_page(Api::Impl& api, StaffContext& sc) { return register_withdraw_form<K>(api, sc, std::nullopt); }

template <RecordKind K>
Result<HttpResponse> register_post_withdraw(Api::Impl& api, StaffContext& sc) {
  std::string reason = pages::form_value(sc.form, "reason");
  if (reason.find_first_not_of(" \r\n\t") == std::string::npos) {
    return register_withdraw_form<K>(api, sc, invalid_argument("reason", "Enter why it is withdrawn"));
  }
  if (reason.size() > 2000) return register_withdraw_form<K>(api, sc, invalid_argument("reason", "Keep the reason under 2,000 characters"));
  auto st = withdraw_from_register(api.store, K, sc.ctx.params["id"], reason, Actor::of(sc.staff->user));
  if (!st) {
    if (st.error().code == ErrorCode::kNotFound) return st.error();
    return register_withdraw_form<K>(api, sc, st.error());
  }
  return pages::redirect(register_kind(K).base);
}

// A key decision's exception routes.
Result<HttpResponse> register_exceptions_form(Api::Impl& api, StaffContext& sc, RegisterFormState state) {
  const RegisterKind& k = register_kind(RecordKind::kKeyDecision);
  return register_record_page(api, sc, k, false, state, &exception_fields(), k.base + "/" + state.id + "/exceptions");
}

}  // namespace

Result<HttpResponse> get_decision_exceptions(Api::Impl& api, StaffContext& sc) {
  RegisterFormState state;
  state.id = sc.ctx.params["id"];
  auto doc = register_record(api.store, RecordKind::kKeyDecision, state.id);
  if (!doc) return doc.error();
  state.values = form_values_of(exception_fields(), *doc);
  if (sc.ctx.query.count("saved")) state.saved = "The exception routes were saved.";
  return register_exceptions_form(api, sc, state);
}

Result<HttpResponse> post_decision_exceptions(Api::Impl& api, StaffContext& sc) {
  RegisterFormState state;
  state.id = sc.ctx.params["id"];
  state.values = form_values_posted(exception_fields(), sc.form);
  auto before = register_record(api.store, RecordKind::kKeyDecision, state.id);
  if (!before) return before.error();
  auto parts = document_of(exception_fields(), sc.form);
  if (!parts) {
    state.error = parts.error();
    return register_exceptions_form(api, sc, state);
  }
  drop_empty_parts(*parts);
  nlohmann::json doc = *before;
  doc.erase("general_exception");
  doc.erase("special_urgency");
  for (auto& [key, value] : parts->items()) doc[key] = value;
  auto stored = record_in_register(api.store, RecordKind::kKeyDecision, state.id, doc, Actor::of(sc.staff->user));
  if (!stored) {
    state.error = stored.error();
    return register_exceptions_form(api, sc, state);
  }
  return pages::redirect(register_kind(RecordKind::kKeyDecision).base + "/" + state.id + "/exceptions?saved=1");
}

std::vector<StaffRoute> register_routes(const std::set<Role>& readers, const std::set<Role>& writers) {
  std::vector<StaffRoute> routes;
  auto add_kind = [&]<RecordKind K>() {
    const std::string base = register_kind(K).base;
    routes.push_back({"GET", base, readers, register_list_page<K>});
    routes.push_back({"GET", base + "/new", writers, register_new_page<K>});
    routes.push_back({"POST", base + "/new", writers, register_post_new<K>});
    routes.push_back({"GET", base + "/{id}", readers, register_edit_page<K>});
    routes.push_back({"POST", base + "/{id}", writers, register_post_edit<K>});
    routes.push_back({"GET", base + "/{id}/withdraw", writers, register_withdraw_page<K>});
    routes.push_back({"POST", base + "/{id}/withdraw", writers, register_post_withdraw<K>});
  };
  add_kind.template operator()<RecordKind::kKeyDecision>();
  routes.push_back({"GET", "/staff/forward-plan/{id}/exceptions", readers, get_decision_exceptions});
  routes.push_back({"POST", "/staff/forward-plan/{id}/exceptions", writers, post_decision_exceptions});
  add_kind.template operator()<RecordKind::kMeeting>();
  add_kind.template operator()<RecordKind::kUrgencyReport>();
  add_kind.template operator()<RecordKind::kScrutinyReferral>();
  return routes;
}

}  // namespace townhall::server::staff
