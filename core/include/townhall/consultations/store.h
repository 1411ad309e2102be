// townhall/consultations/store.h — where consultations are kept: their documents, lifecycle
// states, translations and events, each write audited in its own transaction.
//
// Consultations are stored as their validated JSON document plus indexed columns (id, status,
// opens, closes, title, wards, topics) for the public hub listing; questions are kept apart,
// rewritten whenever the document is saved. The store makes no lifecycle decision: writes that
// depend on a consultation's state take a StatusGuard (status.h) or the expected current state
// from the caller (consultations/editing.h, lifecycle.h) and check it in the same transaction.
//
// Errors: kNotFound for unknown ids, kConflict for a stale version or a state the guard refuses,
// kIo (kStorageFull when the disk is full) for database trouble. A failed call changes nothing.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/consultations/status.h"
#include "townhall/error.h"
#include "townhall/audit/audit.h"

namespace townhall {

struct ConsultationRecord {
  std::string id;                  // "c-1", assigned by the store
  ConsultationStatus status = ConsultationStatus::kDraft;
  nlohmann::json document;         // the validated consultation document (without id/status)
  int64_t version = 0;             // incremented by every write; used for optimistic concurrency
  std::string created_at, updated_at;  // RFC 3339 UTC

  // document + {"id", "status", "version", "created_at", "updated_at"}.
  nlohmann::json to_json() const;
};

struct ConsultationQuery {
  std::optional<std::vector<ConsultationStatus>> statuses;  // not given = any; empty = none
  std::string ward;                   // exact ward name; empty = any
  std::string topic;                  // exact topic; empty = any
  std::string search;                 // case-insensitive substring of title or summary
  std::string sort = "-opens";        // opens | closes | title | created, '-' prefix = descending
  int64_t limit = 20;                 // 1..100
  int64_t offset = 0;
};

struct ConsultationPage {
  std::vector<ConsultationRecord> items;
  int64_t total = 0;  // matching rows, ignoring limit/offset
};

// One language version of a consultation's content (consultation-translation.schema.json): the
// title, summary, proposal, reasons, options considered, question texts and option labels and the
// documents' titles in `lang`, a canonical BCP 47 tag other than English.
struct TranslationRecord {
  std::string consultation_id;
  std::string lang;
  nlohmann::json document = nlohmann::json::object();
  std::string updated_at;

  // document + {"consultation_id", "lang", "updated_at"}.
  nlohmann::json to_json() const;
};

// An event or public meeting of a consultation (meeting.schema.json).
struct MeetingRecord {
  int64_t id = 0;
  std::string consultation_id;
  nlohmann::json document = nlohmann::json::object();
  std::string created_at, updated_at;

  // document + {"id", "consultation_id", "created_at", "updated_at"}.
  nlohmann::json to_json() const;
};

// One lifecycle step as the store writes it: the status moves from `from` to `to` only while it is
// still `from`, and at `expected_version` when that is not 0.
struct TransitionRecord {
  std::string consultation_id;
  ConsultationStatus from = ConsultationStatus::kDraft, to = ConsultationStatus::kScheduled;
  int64_t expected_version = 0;  // 0 = do not check
  nlohmann::json document_patch = nlohmann::json::object();  // merged into the document (e.g. outcome)
  std::vector<AuditEvent> audit;  // written in the same transaction
};

class ConsultationStore {
 public:
  virtual ~ConsultationStore() = default;

  // A new draft.
  virtual Result<ConsultationRecord> create_consultation(const nlohmann::json& document, const AuditEvent& audit) = 0;
  virtual Result<ConsultationRecord> get_consultation(const std::string& id) = 0;
  // Replaces the document while `only_if` allows the current status; expected_version 0 skips
  // the version check.
  virtual Result<ConsultationRecord> update_consultation(const std::string& id, const nlohmann::json& document,
                                                         int64_t expected_version, const StatusGuard& only_if,
                                                         const AuditEvent& audit) = 0;
  virtual Status delete_consultation(const std::string& id, const StatusGuard& only_if, const AuditEvent& audit) = 0;
  virtual Result<ConsultationRecord> transition_consultation(const TransitionRecord& t) = 0;
  virtual Result<ConsultationPage> list_consultations(const ConsultationQuery& query) = 0;
  virtual Result<std::vector<nlohmann::json>> questions(const std::string& consultation_id) = 0;

  // Translations of a consultation's content, one per language. put_ replaces the language's
  // version. Both writes happen only while `only_if` allows the consultation's status, and each is
  // audited in the same transaction.
  virtual Result<TranslationRecord> put_translation(const std::string& consultation_id, const std::string& lang,
                                                    const nlohmann::json& document, const StatusGuard& only_if,
                                                    const AuditEvent& audit) = 0;
  virtual Result<TranslationRecord> get_translation(const std::string& consultation_id, const std::string& lang) = 0;
  // Ordered by language tag.
  virtual Result<std::vector<TranslationRecord>> list_translations(const std::string& consultation_id) = 0;
  virtual Status delete_translation(const std::string& consultation_id, const std::string& lang,
                                    const StatusGuard& only_if, const AuditEvent& audit) = 0;

  // Events and public meetings of a consultation, in date order. Each write is audited.
  virtual Result<MeetingRecord> add_meeting(const std::string& consultation_id, const nlohmann::json& document,
                                            const AuditEvent& audit) = 0;
  virtual Result<MeetingRecord> update_meeting(const std::string& consultation_id, int64_t meeting_id,
                                               const nlohmann::json& document, const AuditEvent& audit) = 0;
  virtual Status delete_meeting(const std::string& consultation_id, int64_t meeting_id, const AuditEvent& audit) = 0;
  virtual Result<MeetingRecord> get_meeting(const std::string& consultation_id, int64_t meeting_id) = 0;
  virtual Result<std::vector<MeetingRecord>> list_meetings(const std::string& consultation_id) = 0;

  // Runs `pass` (e.g. the schedule's opening and closing) unless a pass of the same `job` is
  // running at this moment in another process sharing the database, and says whether it ran; the
  // pass's own error is returned as it is. Several servers over one database (PostgreSQL) thus
  // take turns and a due step is taken once, by whichever server comes first; a store that one
  // process owns (SQLite) just runs the pass.
  virtual Result<bool> run_exclusively(std::string_view job, const std::function<Status()>& pass) {
    (void)job;
    if (Status st = pass(); !st) return st.error();
    return true;
  }
};

}  // namespace townhall
