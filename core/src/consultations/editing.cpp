#include "townhall/consultations/editing.h"

namespace townhall {

StatusGuard editing_allowed() { return {{ConsultationStatus::kDraft}, "; only a draft can be edited"}; }

StatusGuard deleting_allowed() { return {{ConsultationStatus::kDraft}, "; only a draft can be deleted"}; }

StatusGuard translation_changes_allowed() {
  return {{ConsultationStatus::kDraft, ConsultationStatus::kScheduled, ConsultationStatus::kOpen},
          "; its translations can no longer change"};
}

StatusGuard translation_removal_allowed() {
  return {{ConsultationStatus::kDraft, ConsultationStatus::kScheduled}, "; its translations can no longer be removed"};
}

StatusGuard responses_allowed() { return {{ConsultationStatus::kOpen}, ", not open for responses"}; }

Result<ConsultationRecord> update_consultation(ConsultationStore& store, const std::string& id,
                                               const nlohmann::json& document, int64_t expected_version,
                                               const AuditEvent& audit) {
  return store.update_consultation(id, document, expected_version, editing_allowed(), audit);
}

Status delete_consultation(ConsultationStore& store, const std::string& id, const AuditEvent& audit) {
  return store.delete_consultation(id, deleting_allowed(), audit);
}

Result<TranslationRecord> put_translation(ConsultationStore& store, const std::string& consultation_id,
                                          const std::string& lang, const nlohmann::json& document,
                                          const AuditEvent& audit) {
  auto rec = store.get_consultation(consultation_id);
  if (!rec) return rec.error();
  if (rec->status != ConsultationStatus::kClosed) {
    return store.put_translation(consultation_id, lang, document, translation_changes_allowed(), audit);
  }
  // Once closed, the text residents responded to stays as it was; only the outcome, written after
  // closing, may be added (and the machine-draft mark cleared once a translator has checked it).
  auto stored = store.get_translation(consultation_id, lang);
  if (!stored && stored.error().code != ErrorCode::kNotFound) return stored.error();
  nlohmann::json before = stored ? stored->document : nlohmann::json::object();
  nlohmann::json after = document;
  for (const char* free : {"outcome", "machine_draft"}) {
    before.erase(free);
    after.erase(free);
  }
  if (before != after) {
    auto diff = nlohmann::json::diff(before, after);
    std::string at = diff.empty() ? "" : diff[0].value("path", "");
    return Error{ErrorCode::kConflict, at,
                 "consultation " + consultation_id +
                     " is closed; of its translations only the outcome (and machine_draft) can change"};
  }
  return store.put_translation(consultation_id, lang, document,
                               StatusGuard{{ConsultationStatus::kClosed}, "; its translations can no longer change"},
                               audit);
}

Status delete_translation(ConsultationStore& store, const std::string& consultation_id, const std::string& lang,
                          const AuditEvent& audit) {
  return store.delete_translation(consultation_id, lang, translation_removal_allowed(), audit);
}

}  // namespace townhall
