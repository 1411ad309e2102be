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
  return store.put_translation(consultation_id, lang, document, translation_changes_allowed(), audit);
}

Status delete_translation(ConsultationStore& store, const std::string& consultation_id, const std::string& lang,
                          const AuditEvent& audit) {
  return store.delete_translation(consultation_id, lang, translation_removal_allowed(), audit);
}

}  // namespace townhall
