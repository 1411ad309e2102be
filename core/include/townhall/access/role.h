// townhall/access/role.h — who is calling: the five roles of docs/design.md §5 and an authenticated user.
//
// `public` is the anonymous caller (no token). Every other role belongs to a user whose bearer
// token is stored only as its SHA-256 hash.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// Who does something, as the audit trail names them: a user ("user:3 (Ada, officer)", or
// "public" for an anonymous caller), or a part of the system acting by itself ("system
// (schedule)", "python"), which has no role.
struct Actor {
  std::string who;
  std::optional<Role> role;

  static Actor of(const User& user);
  static Actor system(std::string name) { return Actor{std::move(name), std::nullopt}; }
};

}  // namespace townhall
