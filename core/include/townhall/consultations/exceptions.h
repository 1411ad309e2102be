// townhall/consultations/exceptions.h — asking for a charter exception and the second officer's
// decision on it: the commands the API, the console and the bindings call. The rule is in
// exception_approval.h, the keeping in exception_store.h; transition() (lifecycle.h) records an
// approved request when it takes the step the request was for.
//
// An officer asks for one lifecycle step of one consultation, as it is now (its version), giving
// the reason and naming the officer who must approve it. The named officer approves or declines
// it. Each write is audited ("exception.request", "exception.approve", "exception.decline") with the
// staff member's identity, in the store's transaction.
// Thread-safety: as safe as the stores given (the SQLite one: any thread).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "townhall/access/role.h"
#include "townhall/consultations/exception_approval.h"
#include "townhall/consultations/status.h"
#include "townhall/error.h"
#include "townhall/access/staff.h"
#include "townhall/consultations/exception_store.h"
#include "townhall/consultations/store.h"

namespace townhall {

// What the commands read and write: the consultation, the requests and the staff accounts. A
// database handle (store/store.h's Store) is all three.
struct ExceptionStores {
  template <class S>
    requires(!std::is_same_v<std::remove_cv_t<S>, ExceptionStores>)
  ExceptionStores(S& s) : consultations(s), requests(s), staff(s) {}  // NOLINT(implicit): a Store is one

  ConsultationStore& consultations;
  ExceptionRequestStore& requests;
  StaffStore& staff;
};

struct ExceptionAsk {
  std::string consultation_id;
  ConsultationStatus to = ConsultationStatus::kOpen;  // the step the exception is for
  std::string reason;
  int64_t approver = 0;          // the staff user id of the officer who must approve it
  int64_t expected_version = 0;  // the version the officer saw; 0 = the current one
};

// The longest reason kept (as transition.schema.json allows for an exception's reason).
inline constexpr size_t kExceptionReasonMaxBytes = 5000;

// Stores a pending request by `requester` (an officer or admin). Refuses, naming the field, a
// blank or over-long reason, a step that is not the consultation's next one, an approver who is
// not another enabled officer or admin account, and a version the consultation has moved on from.
Result<ExceptionRequest> ask_for_exception(ExceptionStores store, const ExceptionAsk& ask, const User& requester, int64_t now);

// `who` approves (approve = true) or declines request `id` at `now`; check_can_decide() decides
// whether they may. Returns the request as decided.
Result<ExceptionRequest> decide_exception(ExceptionStores store, int64_t id, bool approve, const User& who, int64_t now);

// A request with the names of the two officers, as the console and the API show it.
struct ExceptionRequestView {
  ExceptionRequest request;
  std::string requested_by_name;
  std::string approver_name;
};

// The requests about consultation `id` (newest first), or those waiting for `approver` (oldest
// first), with the officers' names.
Result<std::vector<ExceptionRequestView>> exception_requests_about(ExceptionStores store, const std::string& consultation_id);
Result<std::vector<ExceptionRequestView>> exception_requests_waiting_for(ExceptionStores store, int64_t approver);

}  // namespace townhall
