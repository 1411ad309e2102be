// townhall/store/role.h — who is calling: the five roles of DESIGN.md §5 and an authenticated user.
//
// `public` is the anonymous caller (no token). Every other role belongs to a user whose bearer
// token is stored only as its SHA-256 hash.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"

namespace townhall {

enum class Role { kPublic, kPanelMember, kOfficer, kGovernance, kAdmin };

const char* role_id(Role role);  // "public" | "panel_member" | "officer" | "governance" | "admin"
Result<Role> parse_role(std::string_view text, std::string_view field = "role");
const std::vector<Role>& all_roles();

struct User {
  int64_t id = 0;      // 0 for the anonymous public caller
  std::string name;
  Role role = Role::kPublic;
};

}  // namespace townhall
