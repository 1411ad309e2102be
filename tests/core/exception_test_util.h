// What tests of lifecycle steps that need a charter exception share: two staff officers with
// console accounts, and an exception one asks for and the other approves, through the core's
// commands (consultations/exceptions.h), as the console and the API do.
#pragma once

#include <ctime>
#include <stdexcept>
#include <string>

#include "townhall/access/staff.h"
#include "townhall/access/token.h"
#include "townhall/consultations/exceptions.h"

namespace townhall::testing {

// A staff account (an officer unless `role` says otherwise) named `username`.
inline User add_staff_officer(StaffStore& store, const std::string& username, Role role = Role::kOfficer) {
  NewStaffAccount n;
  n.role = role;
  n.name = username;
  n.username = username;
  auto made = add_staff_account(store, n, "a long enough test password", hash_token(new_bearer_token()),
                                Actor::system("test"));
  if (!made) throw std::runtime_error("adding " + username + ": " + made.error().describe());
  return made->user;
}

// `asker` asks for the step to `to` of consultation `id` with `reason`, naming `approver`, who
// approves it at once. The approved request's id; throws with the core's error when refused.
inline int64_t approved_exception(ExceptionStores stores, const std::string& id, ConsultationStatus to,
                                  const std::string& reason, const User& asker, const User& approver,
                                  int64_t now = static_cast<int64_t>(std::time(nullptr))) {
  ExceptionAsk ask;
  ask.consultation_id = id;
  ask.to = to;
  ask.reason = reason;
  ask.approver = approver.id;
  auto asked = ask_for_exception(stores, ask, asker, now);
  if (!asked) throw std::runtime_error("asking for the exception: " + asked.error().describe());
  auto decided = decide_exception(stores, asked->id, true, approver, now);
  if (!decided) throw std::runtime_error("approving the exception: " + decided.error().describe());
  return asked->id;
}

}  // namespace townhall::testing
