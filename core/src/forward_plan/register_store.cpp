// The names of the Forward Plan register's record kinds (forward_plan/register_store.h).
#include "townhall/forward_plan/register_store.h"

namespace townhall {

const char* record_kind_id(RecordKind kind) {
  switch (kind) {
    case RecordKind::kKeyDecision: return "key_decision";
    case RecordKind::kMeeting: return "meeting";
    case RecordKind::kUrgencyReport: return "urgency_report";
    case RecordKind::kScrutinyReferral: return "scrutiny_referral";
  }
  return "";
}

}  // namespace townhall
