// townhall/forward_plan/register_store.h — where the live Forward Plan register is kept: key
// decisions, meetings of the executive, urgency reports to full council and overview-and-scrutiny
// referrals, each as its JSON document (forward-plan.schema.json's definitions), changed with a
// check of the whole register run inside the same transaction.
//
// Records are keyed by kind and id: a key decision, a meeting and an urgency report by their own
// id, a scrutiny referral by the id of the decision it is about (one referral per decision).
// Errors: kNotFound when removing a record that is not there; whatever `check` returns, unchanged
// (nothing written); kIo (kStorageFull when the disk is full) for database trouble.
// Thread-safety: implementations must be safe to call from many threads at once; a change and its
// check are serialised against every other change of the register.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/audit/audit.h"
#include "townhall/error.h"

namespace townhall {

enum class RecordKind { kKeyDecision, kMeeting, kUrgencyReport, kScrutinyReferral };
// "key_decision", "meeting", "urgency_report", "scrutiny_referral" (also the audit subject kind).
const char* record_kind_id(RecordKind kind);

struct RegisterRecord {
  RecordKind kind = RecordKind::kKeyDecision;
  std::string id;
  nlohmann::json document;
};

// One change: `document` put in place of (or added as) the record, or the record removed.
struct RegisterChange {
  RecordKind kind = RecordKind::kKeyDecision;
  std::string id;
  std::optional<nlohmann::json> document;  // nullopt: remove
};

// Judges the whole register as it would be after a change; an error refuses the change.
using RegisterCheck = std::function<Status(const std::vector<RegisterRecord>& after)>;

class ForwardPlanRegisterStore {
 public:
  virtual ~ForwardPlanRegisterStore() = default;

  // Every record: key decisions, then meetings, urgency reports and referrals, each kind by id.
  virtual Result<std::vector<RegisterRecord>> register_records() = 0;
  // Applies `changes` in order with one audit entry, in one transaction, keeping them only if
  // `check` accepts the register as it would then be (all of them or none).
  virtual Status change_register(const std::vector<RegisterChange>& changes, const RegisterCheck& check,
                                 const AuditEvent& audit) = 0;
};

}  // namespace townhall
