#include "app/role.h"

namespace grove::app {

namespace {
constexpr Role kRoles[] = {Role::kViewer, Role::kOperator, Role::kApprover, Role::kAdmin};
}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kViewer: return "viewer";
    case Role::kOperator: return "operator";
    case Role::kApprover: return "approver";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : kRoles) {
    if (name == RoleName(role)) return role;
  }
  return std::nullopt;
}

std::string RoleNames() {
  std::string out;
  for (Role role : kRoles) out += std::string(out.empty() ? "" : ", ") + RoleName(role);
  return out;
}

}  // namespace grove::app
