#include "app/access_keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>

#include "api/auth/admin_key.h"
#include "api/auth/authenticator.h"
#include "common/file_util.h"
#include "store/store_test_fixture.h"

namespace grove::api::auth {
namespace {

using store::StoreBackends;
using store::BackendNames;

// The key rules over every store backend.
template <typename Backend>
class AccessKeysTest : public store::StoreTest<Backend> {};
TYPED_TEST_SUITE(AccessKeysTest, StoreBackends, BackendNames);

TYPED_TEST(AccessKeysTest, CreatedKeysHaveAwsShapedIdsAndSecrets) {
  auto key = app::CreateAccessKey(*this->store_, Role::kViewer, "vera");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->id.size(), app::kAccessKeyIdLength);
  EXPECT_EQ(key->id.substr(0, 4), "GRVK");
  EXPECT_EQ(key->id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
  EXPECT_EQ(key->secret.size(), app::kSecretLength);
  EXPECT_EQ(key->name, "vera");
  EXPECT_EQ(key->created_at, this->clock_.Now());
  EXPECT_TRUE(key->active());

  auto found = store::ReadValue(*this->store_, [&](store::StoreReader& r) { return app::FindAccessKey(r, key->id); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->secret, key->secret);
  EXPECT_EQ((*found)->role, Role::kViewer);

  auto unnamed = app::CreateAccessKey(*this->store_, Role::kAdmin, "");
  ASSERT_TRUE(unnamed.ok());
  EXPECT_EQ(unnamed->name, unnamed->id);
  EXPECT_NE(unnamed->id, key->id);
  EXPECT_NE(unnamed->secret, key->secret);
}

TYPED_TEST(AccessKeysTest, NamesWithSpacesAreRefused) {
  auto key = app::CreateAccessKey(*this->store_, Role::kViewer, "two words");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(app::CreateAccessKey(*this->store_, Role::kViewer, std::string(129, 'n')).ok());
}

TYPED_TEST(AccessKeysTest, ListsEveryKeyById) {
  std::set<std::string> ids;
  for (Role role : {Role::kViewer, Role::kOperator, Role::kApprover}) {
    auto key = app::CreateAccessKey(*this->store_, role, app::RoleName(role));
    ASSERT_TRUE(key.ok());
    ids.insert(key->id);
  }
  auto keys = app::ListAccessKeys(*this->store_);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 3u);
  std::vector<std::string> listed;
  for (const AccessKey& key : *keys) listed.push_back(key.id);
  EXPECT_EQ(listed, std::vector<std::string>(ids.begin(), ids.end()));
}

TYPED_TEST(AccessKeysTest, RevokingErasesTheSecretAndKeepsTheRow) {
  auto key = app::CreateAccessKey(*this->store_, Role::kOperator, "ops");
  ASSERT_TRUE(key.ok());
  this->clock_.Advance(5000);
  auto revoked = app::RevokeAccessKey(*this->store_, key->id);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_FALSE(revoked->active());
  EXPECT_EQ(revoked->revoked_at, this->clock_.Now());
  auto keys = app::ListAccessKeys(*this->store_);
  ASSERT_TRUE(keys.ok() && keys->size() == 1);
  EXPECT_EQ((*keys)[0].secret, "");
  EXPECT_EQ((*keys)[0].name, "ops");
  EXPECT_FALSE((*keys)[0].active());

  auto again = app::RevokeAccessKey(*this->store_, key->id);
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  auto missing = app::RevokeAccessKey(*this->store_, "GRVKNOPE");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("GRVKNOPE"), std::string::npos);
}

// A server sees keys made by other processes at once, and revocations within max_age.
TYPED_TEST(AccessKeysTest, StoreKeySourceSeesNewKeysAtOnceAndRevocationsWithinMaxAge) {
  StoreKeySource source(this->store_.get(), &this->clock_, 500);
  auto other = this->Open();  // Another process's connection.
  auto key = app::CreateAccessKey(*other, Role::kViewer, "v");
  ASSERT_TRUE(key.ok());
  auto found = source.FindById(key->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  auto by_secret = source.FindBySecret(key->secret);
  ASSERT_TRUE(by_secret.ok() && by_secret->has_value());
  EXPECT_EQ((*by_secret)->id, key->id);

  this->clock_.Advance(30);
  auto late = app::CreateAccessKey(*other, Role::kViewer, "late");  // Not yet in the copy: a miss reloads.
  ASSERT_TRUE(late.ok());
  found = source.FindById(late->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  auto at_once = app::CreateAccessKey(*other, Role::kViewer, "at-once");  // Within the miss window: looked up by id.
  ASSERT_TRUE(at_once.ok());
  found = source.FindById(at_once->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->secret, at_once->secret);

  ASSERT_TRUE(app::RevokeAccessKey(*other, key->id).ok());
  this->clock_.Advance(499);
  found = source.FindById(key->id);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->has_value());  // The copy may be up to max_age old.
  this->clock_.Advance(1);
  found = source.FindById(key->id);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  EXPECT_FALSE(source.FindBySecret(key->secret)->has_value());
}

TYPED_TEST(AccessKeysTest, TheStepsKeyIsMadeOnceAndIsNotTheFirstKey) {
  auto first = app::EnsureAccessKey(*this->store_, Role::kOperator, app::kStepKeyName);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = app::EnsureAccessKey(*this->store_, Role::kOperator, app::kStepKeyName);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->secret, first->secret);
  ASSERT_TRUE(app::RevokeAccessKey(*this->store_, first->id).ok());
  auto replaced = app::EnsureAccessKey(*this->store_, Role::kOperator, app::kStepKeyName);
  ASSERT_TRUE(replaced.ok());
  EXPECT_NE(replaced->id, first->id);

  TempDir home;  // Only the steps' key is active: a server's first start still makes the admin key.
  auto admin = EnsureAdminKey(*this->store_, home.path());
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->has_value());
}

TYPED_TEST(AccessKeysTest, TheFirstStartWritesAnAdminKeyOnlyItsOwnerCanRead) {
  TempDir home;
  auto created = EnsureAdminKey(*this->store_, home.path());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_TRUE(created->has_value());
  EXPECT_EQ((*created)->role, Role::kAdmin);
  struct stat st {};
  ASSERT_EQ(::stat(AdminKeyPath(home.path()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto text = ReadFile(AdminKeyPath(home.path()));
  ASSERT_TRUE(text.ok());
  Json file = Json::parse(*text);
  EXPECT_EQ(file["access_key_id"], (*created)->id);
  EXPECT_EQ(file["secret_access_key"], (*created)->secret);
  EXPECT_EQ(file["role"], "admin");

  auto second = EnsureAdminKey(*this->store_, home.path());  // A key exists: nothing to do.
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
}

}  // namespace
}  // namespace grove::api::auth
