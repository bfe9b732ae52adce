#include <gtest/gtest.h>

#include "store/metadata_store.h"
#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

// The resource table's rows: JSON documents by kind and name.
template <typename Backend>
class ResourceStoreTest : public StoreTest<Backend> {
 protected:
  Status Put(const std::string& kind, const std::string& name, Json body = Json::object()) {
    return this->store_->Transact([&](StoreTransaction& txn) {
      return txn.PutResource({kind, name, std::move(body), 100, 200});
    });
  }
  std::vector<std::string> Names(const std::string& kind, const std::string& prefix, const std::string& after,
                                 int limit) {
    auto rows = ReadValue(*this->store_, [&](StoreReader& r) { return r.ListResources(kind, prefix, after, limit); });
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::string> names;
    if (!rows.ok()) return names;
    for (const ResourceRecord& row : *rows) names.push_back(row.name);
    return names;
  }
};
TYPED_TEST_SUITE(ResourceStoreTest, StoreBackends, BackendNames);

TYPED_TEST(ResourceStoreTest, RowsRoundTripAndReplace) {
  ASSERT_TRUE(this->Put("model", "m1", {{"image", "xgboost:1"}}).ok());
  auto found = ReadValue(*this->store_, [](StoreReader& r) { return r.FindResource("model", "m1"); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->body["image"], "xgboost:1");
  EXPECT_EQ((*found)->created_at, 100);
  EXPECT_EQ((*found)->updated_at, 200);
  ASSERT_TRUE(this->Put("model", "m1", {{"image", "xgboost:2"}}).ok());
  found = ReadValue(*this->store_, [](StoreReader& r) { return r.FindResource("model", "m1"); });
  EXPECT_EQ((*found)->body["image"], "xgboost:2");
  auto other_kind = ReadValue(*this->store_, [](StoreReader& r) { return r.FindResource("endpoint-config", "m1"); });
  ASSERT_TRUE(other_kind.ok());
  EXPECT_FALSE(other_kind->has_value());

  auto deleted = TransactValue(*this->store_, [](StoreTransaction& t) { return t.DeleteResource("model", "m1"); });
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  deleted = TransactValue(*this->store_, [](StoreTransaction& t) { return t.DeleteResource("model", "m1"); });
  EXPECT_FALSE(*deleted);
}

TYPED_TEST(ResourceStoreTest, ListsByPrefixInByteOrderAfterACursor) {
  for (const char* name : {"runs/b", "runs/a", "runs0", "run", "runs/a/x", "zeta", "A"}) {
    ASSERT_TRUE(this->Put("s3-object/b", name).ok());
  }
  ASSERT_TRUE(this->Put("s3-object/c", "runs/q").ok());
  EXPECT_EQ(this->Names("s3-object/b", "", "", 0),
            (std::vector<std::string>{"A", "run", "runs/a", "runs/a/x", "runs/b", "runs0", "zeta"}));
  EXPECT_EQ(this->Names("s3-object/b", "runs/", "", 0), (std::vector<std::string>{"runs/a", "runs/a/x", "runs/b"}));
  EXPECT_EQ(this->Names("s3-object/b", "runs/", "", 2), (std::vector<std::string>{"runs/a", "runs/a/x"}));
  EXPECT_EQ(this->Names("s3-object/b", "runs/", "runs/a/x", 2), (std::vector<std::string>{"runs/b"}));
  EXPECT_EQ(this->Names("s3-object/b", "nothing", "", 0), std::vector<std::string>{});
  // A prefix ending in a UTF-8 continuation byte (U+00FF is C3 BF): names just past it (U+0100 is C4 80) are not
  // listed.
  for (const char* name : {"a\xc3\xbfz", "a\xc4\x80", "b"}) ASSERT_TRUE(this->Put("k", name).ok());
  EXPECT_EQ(this->Names("k", "a\xc3\xbf", "", 0), std::vector<std::string>{"a\xc3\xbfz"});
}

}  // namespace
}  // namespace grove::store
