// townhall/submissions/plain_submission.h — a response check_plain_response() (submit.h) accepted,
// made ready for the store the way check_response() makes one: an officer's entry carries its
// "response.entered" audit record (submissions/store.h), so the audit trail does not depend on
// which way the server read the body.
// Thread-safety: pure function.
#pragma once

#include "townhall/access/role.h"
#include "townhall/responses/store.h"
#include "townhall/submissions/store.h"

namespace townhall {

Submission plain_submission(ResponseSubmission checked, const User& caller);

}  // namespace townhall
