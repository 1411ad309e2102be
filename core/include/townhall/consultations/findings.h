// townhall/consultations/findings.h — every charter finding on one consultation.
//
// consultation_findings() runs the consultation rules (C-MIN, C-EXT, C-12, C-ELECT, G1, G2, G4,
// VAR: consultation_rules.h) and the language rules (LANG, READ: language_rules.h) over a
// consultation as the API returns it — the stored document with its "id" (status, version,
// meetings and the like are ignored) — and its translations. `townhall check`, GET
// /api/v1/consultations/{id}/findings, every lifecycle step (lifecycle.h) and the bindings call
// it, so each gives the same findings in the same order.
// Thread-safety: pure functions, except the store overload (as safe as the ConsultationStore).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/charter/finding.h"
#include "townhall/charter/policy.h"
#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/consultations/store.h"

namespace townhall {

// Canonical language tag → translation document (consultation-translation.schema.json).
using Translations = std::map<std::string, nlohmann::json>;

// The consultation rules, then LANG, then READ. Errors (a charter field of the wrong shape, a
// missing id) name the field as a JSON pointer after `pointer_prefix`.
Result<std::vector<Finding>> consultation_findings(const nlohmann::json& document, const Translations& translations,
                                                   const CharterPolicy& policy, Date as_of,
                                                   std::string_view pointer_prefix = {});

// A stored consultation's translations, as consultation_findings() takes them.
Result<Translations> stored_translations(ConsultationStore& store, const std::string& consultation_id);

// The findings on a stored consultation with its stored translations.
Result<std::vector<Finding>> consultation_findings(ConsultationStore& store, const ConsultationRecord& consultation,
                                                   const CharterPolicy& policy, Date as_of);

}  // namespace townhall
