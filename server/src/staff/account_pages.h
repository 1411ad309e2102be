// Internal to townhall_server: the console's staff accounts pages under /staff/accounts, for
// administrators — the accounts with their roles and state, adding one, changing a role,
// disabling and enabling, setting a new password and lifting a sign-in lockout. Every change is
// a core function of townhall/access/staff.h, audited with the administrator's identity.
// Thread-safety: the handlers are safe from any thread.
#pragma once

#include <set>
#include <vector>

#include "staff/staff_kit.h"

namespace townhall::server::staff {

std::vector<StaffRoute> account_routes(const std::set<Role>& admins);

}  // namespace townhall::server::staff
