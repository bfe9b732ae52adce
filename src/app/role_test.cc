#include "app/role.h"

#include <gtest/gtest.h>

namespace grove::app {
namespace {

TEST(Role, NamesRoundTripAndRolesAreOrdered) {
  for (Role role : {Role::kViewer, Role::kOperator, Role::kApprover, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_FALSE(ParseRole("Admin").has_value());
  EXPECT_EQ(RoleNames(), "viewer, operator, approver, admin");
  EXPECT_TRUE(Allows(Role::kAdmin, Role::kApprover));
  EXPECT_TRUE(Allows(Role::kOperator, Role::kOperator));
  EXPECT_FALSE(Allows(Role::kViewer, Role::kOperator));
  EXPECT_FALSE(Allows(Role::kOperator, Role::kApprover));
}

}  // namespace
}  // namespace grove::app
