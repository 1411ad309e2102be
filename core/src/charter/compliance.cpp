#include "townhall/charter/compliance.h"

#include "townhall/consultations/consultation_rules.h"
#include "townhall/forward_plan/forward_plan_rules.h"
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
  const bool bare_plan = doc.is_object() && !doc.contains("consultations") && !doc.contains("forward_plan") &&
                         (doc.contains("key_decisions") || doc.contains("meetings"));
  if (bare_plan) return plan_report(parse_forward_plan(doc), policy, as_of);
  if (auto st = validate_against_schema(doc, "check-input.schema.json"); !st) return st.error();
  ComplianceReport report;
  if (as_of) {
    report.as_of = *as_of;
  } else if (doc.contains("as_of")) {
    auto d = Date::parse(doc["as_of"].get<std::string>(), "/as_of");
    if (!d) return d.error();
    report.as_of = *d;
  } else {
    report.as_of = Date::today_in_london();
  }

  // Parse everything first so that bad input reports an error and no partial findings.
  std::vector<Consultation> consultations;
  if (doc.contains("consultations")) {
    const auto& arr = doc["consultations"];
    for (size_t i = 0; i < arr.size(); ++i) {
      auto c = parse_consultation(arr[i], "/consultations/" + std::to_string(i));
      if (!c) return c.error();
      consultations.push_back(std::move(*c));
    }
  }
  std::optional<ForwardPlan> plan;
  if (doc.contains("forward_plan")) {
    auto fp = parse_forward_plan(doc["forward_plan"], "/forward_plan");
    if (!fp) return fp.error();
    plan = std::move(*fp);
  }

  for (const auto& c : consultations) {
    auto fs = check_consultation(c, policy, report.as_of);
    report.findings.insert(report.findings.end(), fs.begin(), fs.end());
  }
  report.consultations_checked = consultations.size();
  if (plan) add_forward_plan(*plan, policy, report);
  return report;
}

Result<ComplianceReport> check_forward_plan_csv(std::string_view csv_text, const CharterPolicy& policy,
                                                std::optional<Date> as_of) {
  return plan_report(parse_forward_plan_csv(csv_text), policy, as_of);
}

}  // namespace townhall
