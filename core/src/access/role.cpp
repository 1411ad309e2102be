#include "townhall/access/role.h"

namespace townhall {

const char* role_id(Role role) {
  switch (role) {
    case Role::kPublic: return "public";
    case Role::kPanelMember: return "panel_member";
    case Role::kOfficer: return "officer";
    case Role::kGovernance: return "governance";
    case Role::kAdmin: return "admin";
  }
  return "public";
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles = {Role::kPublic, Role::kPanelMember, Role::kOfficer,
                                          Role::kGovernance, Role::kAdmin};
  return roles;
}

Result<Role> parse_role(std::string_view text, std::string_view field) {
  for (Role r : all_roles()) {
    if (text == role_id(r)) return r;
  }
  return invalid_argument(std::string(field),
                          "unknown role \"" + std::string(text) +
                              "\" (expected public, panel_member, officer, governance or admin)");
}

Actor Actor::of(const User& user) {
  if (user.role == Role::kPublic) return Actor{"public", Role::kPublic};
  return Actor{"user:" + std::to_string(user.id) + " (" + user.name + ", " + role_id(user.role) + ")", user.role};
}

}  // namespace townhall
