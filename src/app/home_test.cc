#include "app/home.h"

#include <gtest/gtest.h>

#include "common/file_util.h"

namespace grove::app {
namespace {

namespace fs = std::filesystem;

TEST(HomeTest, ANewDataFolderIsItsOwnersAlone) {
  TempDir dir;
  auto home = Home::Open(dir.path() / "new" / "home");
  ASSERT_TRUE(home.ok()) << home.status().ToString();
  EXPECT_EQ(fs::status(dir.path() / "new" / "home").permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_TRUE(fs::exists(dir.path() / "new" / "home" / "grove.db"));
}

TEST(HomeTest, AnExistingFolderKeepsItsPermissions) {
  TempDir dir;
  fs::create_directories(dir.path() / "shared");
  fs::permissions(dir.path() / "shared", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec,
                  fs::perm_options::replace);
  ASSERT_TRUE(Home::Open(dir.path() / "shared").ok());
  EXPECT_EQ(fs::status(dir.path() / "shared").permissions() & fs::perms::all,
            fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
}

}  // namespace
}  // namespace grove::app
