#pragma once

// What an access key may do. Roles are ordered: each allows everything the
// ones before it allow.
#include <optional>
#include <string>
#include <string_view>

namespace grove::app {

enum class Role {
  kViewer,    // Read: describe, list, get, download.
  kOperator,  // Also run pipelines, invoke endpoints, write S3 objects.
  kApprover,  // Also approve and reject model versions, promote endpoints.
  kAdmin,     // Everything, access keys included.
};

// "viewer", "operator", "approver", "admin".
const char* RoleName(Role role);
// The role named `name` (lowercase, as RoleName prints it); nullopt otherwise.
std::optional<Role> ParseRole(std::string_view name);
// True when `held` may do what `needed` may.
inline bool Allows(Role held, Role needed) { return static_cast<int>(held) >= static_cast<int>(needed); }
// "viewer, operator, approver, admin": for messages.
std::string RoleNames();

}  // namespace grove::app
