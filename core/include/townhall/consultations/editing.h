// townhall/consultations/editing.h — which states of a consultation allow which changes, and the
// changes that depend on them.
//
// Only a draft is edited or deleted. Translations change until the consultation closes (its
// published text is what residents read in each language) and are removed only before it opens.
// Responses are taken only while it is open. Each rule is a StatusGuard (status.h) that the store
// checks in the write's own transaction, so a lifecycle step running at the same moment cannot
// slip between the check and the write. Lifecycle steps themselves are in lifecycle.h.
// Thread-safety: the guards are pure; the writes are as safe as the store given.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "townhall/consultations/status.h"
#include "townhall/consultations/store.h"
#include "townhall/error.h"
#include "townhall/audit/audit.h"

namespace townhall {

StatusGuard editing_allowed();              // draft
StatusGuard deleting_allowed();             // draft
StatusGuard translation_changes_allowed();  // draft, scheduled, open (and closed for the outcome only)
StatusGuard translation_removal_allowed();  // draft, scheduled
StatusGuard responses_allowed();            // open

// Replaces a draft's document; expected_version 0 skips the version check.
Result<ConsultationRecord> update_consultation(ConsultationStore& store, const std::string& id,
                                               const nlohmann::json& document, int64_t expected_version,
                                               const AuditEvent& audit);
Status delete_consultation(ConsultationStore& store, const std::string& id, const AuditEvent& audit);
// Replaces one language's translation. While the consultation is closed only its outcome (and
// machine_draft) may change: anything else is kConflict naming the first field that differs.
Result<TranslationRecord> put_translation(ConsultationStore& store, const std::string& consultation_id,
                                          const std::string& lang, const nlohmann::json& document,
                                          const AuditEvent& audit);
Status delete_translation(ConsultationStore& store, const std::string& consultation_id, const std::string& lang,
                          const AuditEvent& audit);

}  // namespace townhall
