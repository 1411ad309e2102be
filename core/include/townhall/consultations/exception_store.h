// townhall/consultations/exception_store.h — where requests for a charter exception wait for the
// second officer's approval (exception_approval.h has the rule; the store only keeps them).
// A request is stored pending; deciding it (approved or declined) happens once, guarded by the
// store so that two decisions at once cannot both succeed. Writes are audited in the same
// transaction.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "townhall/audit/audit.h"
#include "townhall/consultations/exception_approval.h"
#include "townhall/error.h"

namespace townhall {

class ExceptionRequestStore {
 public:
  virtual ~ExceptionRequestStore() = default;

  // Stores `request` as pending (its id, state and decided_at are the store's) and returns it.
  virtual Result<ExceptionRequest> add_exception_request(const ExceptionRequest& request, const AuditEvent& audit) = 0;
  // kNotFound for an unknown id.
  virtual Result<ExceptionRequest> get_exception_request(int64_t id) = 0;
  // The pending requests naming `approver`, oldest first.
  virtual Result<std::vector<ExceptionRequest>> pending_exception_requests(int64_t approver) = 0;
  // Every request about consultation `consultation_id`, newest first.
  virtual Result<std::vector<ExceptionRequest>> exception_requests_about(const std::string& consultation_id) = 0;
  // Decides a pending request (kApproved or kDeclined) at `decided_at`. kConflict when it is no
  // longer pending (decided by someone else meanwhile); kNotFound for an unknown id.
  virtual Status decide_exception_request(int64_t id, ApprovalState state, int64_t decided_at,
                                          const AuditEvent& audit) = 0;
};

}  // namespace townhall
