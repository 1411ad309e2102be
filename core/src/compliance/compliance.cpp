#include "townhall/compliance/compliance.h"

#include <algorithm>

#include "townhall/charter/rules.h"
#include "townhall/consultations/consultation_rules.h"
#include "townhall/consultations/document.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/translation.h"
#include "townhall/forward_plan/forward_plan_rules.h"
#include "townhall/i18n/locale.h"
#include "townhall/util/json_schema.h"

namespace townhall {

nlohmann::json ComplianceReport::to_json() const {
  nlohmann::json j = findings_to_json(findings);
  j["as_of"] = as_of.iso();
  j["checked"] = {{"consultations", consultations_checked},
                  {"key_decisions", key_decisions_checked},
                  {"meetings", meetings_checked}};
  return j;
}

namespace {

void add_forward_plan(const ForwardPlan& plan, const CharterPolicy& policy, ComplianceReport& report) {
  auto fs = check_forward_plan(plan, policy, report.as_of);
  report.findings.insert(report.findings.end(), fs.begin(), fs.end());
  report.key_decisions_checked = plan.key_decisions.size();
  report.meetings_checked = plan.meetings.size();
}

// Members the API adds to a consultation (GET /api/v1/consultations/{id}) or a translation (GET
// …/translations/{lang}) beyond the documents officers write; a check file may carry them, and
// the rules do not read them.
const char* const kApiConsultationFields[] = {"id", "status", "version", "created_at", "updated_at", "meetings",
                                              "exceptions", "outcome", "lang", "dir", "field_lang",
                                              "languages_available", "translations", "opened_on", "opened_at",
                                              "closed_on", "closed_at"};
const char* const kApiTranslationFields[] = {"consultation_id", "lang", "updated_at", "dir", "complete", "missing"};

// One consultation of a check file, as the API returns it (or just its charter fields, with an
// id), with its translations ("translations": language tag → translation), checked against the
// schemas of what officers write.
struct CheckedConsultation {
  nlohmann::json document;
  Translations translations;
};

Result<CheckedConsultation> read_consultation(const nlohmann::json& item, const std::string& at) {
  if (!item.is_object()) return Error{ErrorCode::kSchemaViolation, at.empty() ? "/" : at, "must be an object"};
  nlohmann::json draft = item;
  for (const char* k : kApiConsultationFields) draft.erase(k);
  if (auto st = validate_against_schema(draft, "consultation-draft.schema.json", at); !st) return st.error();
  CheckedConsultation out{item, {}};
  out.document.erase("translations");
  if (auto t = item.find("translations"); t != item.end()) {
    if (!t->is_object()) {
      return Error{ErrorCode::kSchemaViolation, at + "/translations",
                   "must be an object: language tag → translation (as GET …/translations/{lang} gives it)"};
    }
    for (auto it = t->begin(); it != t->end(); ++it) {
      const std::string where = at + "/translations/" + json_pointer_token(it.key());
      auto tag = i18n::canonical_tag(it.key(), where);
      if (!tag) return tag.error();
      if (!it->is_object()) return Error{ErrorCode::kSchemaViolation, where, "must be an object"};
      nlohmann::json translation = *it;
      for (const char* k : kApiTranslationFields) translation.erase(k);
      if (auto st = validate_against_schema(translation, "consultation-translation.schema.json", where); !st) {
        return st.error();
      }
      auto prepared = prepare_translation(translation, draft);
      if (!prepared) {
        Error e = prepared.error();
        e.field = where + e.field;
        return e;
      }
      out.translations[*tag] = std::move(*prepared);
    }
  }
  return out;
}

// The report of a file that holds only a Forward Plan (JSON or CSV).
Result<ComplianceReport> plan_report(Result<ForwardPlan> plan, const CharterPolicy& policy, std::optional<Date> as_of) {
  if (!plan) return plan.error();
  ComplianceReport report;
  report.as_of = as_of ? *as_of : Date::today_in_london();
  add_forward_plan(*plan, policy, report);
  return report;
}

}  // namespace

Result<ComplianceReport> check_document(const nlohmann::json& doc, const CharterPolicy& policy,
                                        std::optional<Date> as_of) {
  // A file that is just a Forward Plan (schemas/forward-plan.schema.json) is checked as one, with
  // error pointers relative to the file itself.
  // So is a file that is one consultation, as GET /api/v1/consultations/{id} returns it (its
  // "meetings" are the consultation's, not a plan's): it has a title, which a plan has not.
  const bool bare_consultation = doc.is_object() && doc.contains("title") && !doc.contains("consultations") &&
                                 !doc.contains("forward_plan");
  const bool bare_plan = doc.is_object() && !bare_consultation && !doc.contains("consultations") &&
                         !doc.contains("forward_plan") && (doc.contains("key_decisions") || doc.contains("meetings"));
  if (bare_plan) return plan_report(parse_forward_plan(doc), policy, as_of);
  if (auto st = bare_consultation ? Status::Ok() : validate_against_schema(doc, "check-input.schema.json"); !st) {
    return st.error();
  }
  ComplianceReport report;
  if (as_of) {
    report.as_of = *as_of;
  } else if (!bare_consultation && doc.contains("as_of")) {
    auto d = HolidayCalendar::parse_supported(doc["as_of"].get<std::string>(), "/as_of");
    if (!d) return d.error();
    report.as_of = *d;
  } else {
    report.as_of = Date::today_in_london();
  }

  // Parse everything first so that bad input reports an error and no partial findings.
  std::vector<std::pair<CheckedConsultation, std::string>> consultations;  // with where it is in the file
  if (bare_consultation) {
    auto c = read_consultation(doc, "");
    if (!c) return c.error();
    consultations.emplace_back(std::move(*c), "");
  } else if (doc.contains("consultations")) {
    const auto& arr = doc["consultations"];
    for (size_t i = 0; i < arr.size(); ++i) {
      const std::string at = "/consultations/" + std::to_string(i);
      auto c = read_consultation(arr[i], at);
      if (!c) return c.error();
      consultations.emplace_back(std::move(*c), at);
    }
  }
  std::optional<ForwardPlan> plan;
  if (doc.contains("forward_plan")) {
    auto fp = parse_forward_plan(doc["forward_plan"], "/forward_plan");
    if (!fp) return fp.error();
    plan = std::move(*fp);
  }

  std::vector<Finding> consultation_report;
  std::vector<Consultation> linked;
  for (const auto& [c, at] : consultations) {
    auto fs = consultation_findings(c.document, c.translations, policy, report.as_of, at);
    if (!fs) return fs.error();
    consultation_report.insert(consultation_report.end(), fs->begin(), fs->end());
    if (plan) {
      auto view = charter_view(c.document, at);
      if (!view) return view.error();
      linked.push_back(std::move(*view));
    }
  }
  report.findings = std::move(consultation_report);
  report.consultations_checked = consultations.size();
  if (plan) {
    auto cross = check_consultations_against_plan(linked, *plan, policy);
    report.findings.insert(report.findings.end(), cross.begin(), cross.end());
    add_forward_plan(*plan, policy, report);
  }
  return report;
}

std::vector<Finding> check_consultations_against_plan(const std::vector<Consultation>& consultations,
                                                      const ForwardPlan& plan, const CharterPolicy& policy) {
  std::vector<Finding> out;
  for (const auto& c : consultations) {
    if (c.key_decision_id.empty()) continue;
    const KeyDecision* d = plan.find_decision(c.key_decision_id);
    if (d == nullptr) {
      out.push_back(make_finding("G1", Severity::kWarning, "consultation", c.id,
                                 "The consultation informs key decision " + c.key_decision_id +
                                     ", which is not in the Forward Plan checked, so whether it closes before the "
                                     "decision could not be checked."));
      continue;
    }
    if (!c.opens || !c.closes) continue;
    const Date decision = d->decision_day();
    // The close that counts: the day it really closed once it has, else the recorded one or the
    // later one a holiday extension requires.
    Date close = *c.last_day();
    const Date recorded_close = close;
    std::optional<Date> extended;
    int weeks = 0;
    if (c.big_decision) weeks = policy.big_decision_weeks;
    if (c.formal_written && c.affects_voluntary_sector && c.shorter_period_reason.empty()) {
      weeks = std::max(weeks, policy.voluntary_sector_weeks);
    }
    if (weeks > 0 && policy.holiday_extension && c.urgency_reason.empty() && !c.closed_on) {
      const ClosePlan cp = plan_close(*c.first_day(), weeks, policy);
      if (cp.extended && cp.close > close) extended = cp.close;
    }
    if (extended) close = *extended;
    if (close < decision) continue;
    const std::string when = d->decided_on ? "was taken on " + decision.long_english()
                             : d->timing.is_period()
                                 ? "may be taken from " + decision.long_english() + " (the Forward Plan gives " +
                                       d->timing.describe() + ")"
                                 : "is due on " + decision.long_english() + " in the Forward Plan";
    const std::string closes = extended ? "must stay open until " + extended->long_english() +
                                              " because it runs over a holiday period (C-EXT; it is recorded to close "
                                              "on " + recorded_close.long_english() + ")"
                                        : (c.closed_on ? "closed on " : "closes on ") + recorded_close.long_english();
    Finding f = make_finding("G1", policy.severity_of("G1"), "consultation", c.id,
                             "The consultation " + closes + ", but key decision " + d->id + ", which it informs, " +
                                 when + ": consultation must close before the decision, while the proposal is "
                                 "still formative.");
    f.dates = {{"closes", recorded_close}, {"decision_date", decision}};
    if (extended) f.dates["required_close"] = *extended;
    out.push_back(std::move(f));
  }
  return out;
}

Result<ComplianceReport> check_forward_plan_csv(std::string_view csv_text, const CharterPolicy& policy,
                                                std::optional<Date> as_of) {
  return plan_report(parse_forward_plan_csv(csv_text), policy, as_of);
}

}  // namespace townhall
