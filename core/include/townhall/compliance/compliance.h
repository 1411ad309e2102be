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
