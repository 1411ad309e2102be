// townhall/audit/audit_log.h — the store's append-only audit log (the entries and their
// verification are described in audit.h).
//
// Entries are sealed with the store's audit key when it has one. Every other store write that is
// audited appends its entry in its own transaction; append_audit is for events with no other write.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <vector>

#include "townhall/error.h"
#include "townhall/audit/audit.h"

namespace townhall {

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  virtual Result<AuditEntry> append_audit(const AuditEvent& event) = 0;
  // Every entry, oldest first.
  virtual Result<std::vector<AuditEntry>> audit_entries() = 0;
  // Checks the chain, the seals and the key's head mark: kBroken names the first bad entry,
  // kUnverified says why the seals could not be checked.
  virtual Result<AuditVerification> verify_audit() = 0;
};

}  // namespace townhall
