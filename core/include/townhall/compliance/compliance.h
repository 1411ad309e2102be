// townhall/compliance/compliance.h — one compliance check over everything in a check file.
//
// A check file holds consultations and/or a Forward Plan (schemas/check-input.schema.json). Each
// consultation is read as GET /api/v1/consultations/{id} returns it (the members the API adds,
// such as status, version and meetings, are ignored), optionally with "translations" (language
// tag → translation as GET …/translations/{lang} returns it), and checked by
// consultation_findings() (consultations/findings.h) — the function the server's findings and
// lifecycle steps use — so LANG and READ run here too. The report is every finding of every rule,
// in the order of the file. `townhall check` and the bindings' check_document call this.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/charter/finding.h"
#include "townhall/charter/policy.h"
#include "townhall/consultations/consultation.h"
#include "townhall/date.h"
#include "townhall/forward_plan/forward_plan.h"

namespace townhall {

struct ComplianceReport {
  Date as_of;
  std::vector<Finding> findings;
  size_t consultations_checked = 0;
  size_t key_decisions_checked = 0;
  size_t meetings_checked = 0;

  bool has_breach() const { return townhall::has_breach(findings); }
  nlohmann::json to_json() const;
};

// G1 across records: each consultation linked to a key decision of `plan` (key_decision_id) must
// close before the decision day the plan gives (decided_on, else the date, else the first day of
// the period), judged on the later of its recorded close and the close C-EXT requires, so a
// holiday extension that pushes the close past the decision is caught. A link to a decision the
// plan does not hold is a warning that the check could not be made. check_document() runs this
// when a file holds both consultations and a Forward Plan.
std::vector<Finding> check_consultations_against_plan(const std::vector<Consultation>& consultations,
                                                      const ForwardPlan& plan, const CharterPolicy& policy);

// Validates and checks a JSON check file. `as_of` overrides the file's own `as_of`; without
// either, today in Europe/London.
// A document that is a bare Forward Plan (it has key_decisions or meetings and no consultations),
// or one bare consultation (it has a title and no consultations), is accepted too.
Result<ComplianceReport> check_document(const nlohmann::json& doc, const CharterPolicy& policy,
                                        std::optional<Date> as_of = std::nullopt);

// Checks a Forward Plan kept as CSV (docs/forward-plan-csv.md); `as_of` defaults to today.
Result<ComplianceReport> check_forward_plan_csv(std::string_view csv_text, const CharterPolicy& policy,
                                                std::optional<Date> as_of = std::nullopt);

}  // namespace townhall
