#include "store/callback_records.h"

#include <gtest/gtest.h>

#include "store/function_records.h"
#include "store/metadata_store.h"
#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

// Callback tokens and Lambda functions over every backend's rows.
template <typename Backend>
class CallbackRecordsTest : public StoreTest<Backend> {};

TYPED_TEST_SUITE(CallbackRecordsTest, StoreBackends, BackendNames);

TYPED_TEST(CallbackRecordsTest, ATokenEndsItsWaitOnce) {
  CallbackRecord c;
  c.token = "Tok0000001";
  c.execution_id = "e1";
  c.step = "Approve";
  ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return CreateCallback(t, c, 100); }).ok());
  auto found = this->Read([](StoreReader& r) { return FindCallbackOfStep(r, "e1", "Approve"); });
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->value_or(""), "Tok0000001");
  EXPECT_FALSE(this->Read([](StoreReader& r) { return FindCallbackOfStep(r, "e2", "Approve"); })->has_value());

  auto done = this->Transact([](StoreTransaction& t) {
    return CompleteCallback(t, "Tok0000001", "Succeeded", Json{{"verdict", "ship"}}, "", 200);
  });
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->execution_id, "e1");
  auto read = this->Read([](StoreReader& r) { return RequireCallback(r, "Tok0000001"); });
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status, "Succeeded");
  EXPECT_EQ(read->outputs["verdict"], "ship");

  auto again = this->Transact([](StoreTransaction& t) {
    return CompleteCallback(t, "Tok0000001", "Failed", Json::object(), "late", 300);
  });
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  auto unknown = this->Read([](StoreReader& r) { return RequireCallback(r, "nope"); });
  EXPECT_EQ(unknown.status().message(), "no callback step waits for token 'nope'");
}

TYPED_TEST(CallbackRecordsTest, FunctionsAreACommandOrAUrlByName) {
  FunctionRecord f{"double-it", "python3 double.py", ""};
  ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return PutFunction(t, f, 100); }).ok());
  FunctionRecord both{"both", "x", "http://h/"};
  EXPECT_EQ(this->Transact([&](StoreTransaction& t) { return PutFunction(t, both, 100); }).code(),
            StatusCode::kInvalidArgument);
  FunctionRecord bad_url{"u", "", "ftp://h/"};
  EXPECT_EQ(this->Transact([&](StoreTransaction& t) { return PutFunction(t, bad_url, 100); }).code(),
            StatusCode::kInvalidArgument);
  FunctionRecord bad_name{"a b", "x", ""};
  EXPECT_EQ(this->Transact([&](StoreTransaction& t) { return PutFunction(t, bad_name, 100); }).code(),
            StatusCode::kInvalidArgument);

  EXPECT_EQ(FunctionNameOf("arn:aws:lambda:us-west-2:000000000000:function:double-it"), "double-it");
  EXPECT_EQ(FunctionNameOf("arn:aws:lambda:us-west-2:000000000000:function:double-it:prod"), "double-it");
  EXPECT_EQ(FunctionNameOf("double-it"), "double-it");
  auto found = this->Read([](StoreReader& r) { return RequireFunction(r, "double-it"); });
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->command, "python3 double.py");
  auto missing = this->Read([](StoreReader& r) { return RequireFunction(r, "other"); });
  EXPECT_EQ(missing.status().message(),
            "no Lambda function 'other' (functions: double-it; create one with grove lambda create)");
  EXPECT_TRUE(*this->Transact([](StoreTransaction& t) { return DeleteFunction(t, "double-it"); }));
  EXPECT_TRUE(this->Read([](StoreReader& r) { return ListFunctions(r); })->empty());
}

}  // namespace
}  // namespace grove::store
