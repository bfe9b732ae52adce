// /api/v1/hooks: create (the secret answered once), list, get, deliveries, replay, delete, and the roles.
#include <gtest/gtest.h>

#include "api/rest/rest_test_fixture.h"
#include "events/hook_records.h"

namespace grove::api::rest {
namespace {

using HookRoutesTest = RestTest;

TEST_F(HookRoutesTest, CreateListGetReplayDelete) {
  Json made = Expect(201, "POST", "/api/v1/hooks",
                     R"({"name": "web", "on": "model.approved", "where": {"group": "g*"}, "webhook": "http://127.0.0.1:9/h"})",
                     "operator");
  EXPECT_EQ(made["name"], "web");
  EXPECT_EQ(made["secret"].get<std::string>().size(), 64u);
  Json bad = Expect(400, "POST", "/api/v1/hooks", R"({"name": "bad", "on": "model.approved", "webhok": "http://x"})");
  EXPECT_NE(bad.dump().find("did you mean 'webhook'"), std::string::npos) << bad.dump();
  Expect(409, "POST", "/api/v1/hooks", R"({"name": "web", "on": "model.approved", "command": "true"})");
  Expect(403, "POST", "/api/v1/hooks", R"({"name": "v", "on": "model.approved", "command": "true"})", "viewer");

  Json list = Expect(200, "GET", "/api/v1/hooks", "", "viewer");
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_FALSE(list["items"][0].contains("secret"));
  Json got = Expect(200, "GET", "/api/v1/hooks/web", "", "viewer");
  EXPECT_EQ(got["where"]["group"], "g*");
  EXPECT_EQ(got["deliveries"]["pending"], 0);
  EXPECT_FALSE(got.contains("secret"));
  Expect(404, "GET", "/api/v1/hooks/nope", "", "viewer");

  // An approval, then a replay of its event makes a pending delivery.
  int64_t seq = store::TransactValue(*home_->metadata(), [](store::StoreTransaction& txn) {
                  return txn.AppendEvent(1, "model.approval", "g/1", {{"group", "g"}, {"version", 1}, {"status", "Approved"}});
                }).value();
  Expect(400, "POST", "/api/v1/hooks/web/replay", "{}");
  Json replayed = Expect(200, "POST", "/api/v1/hooks/web/replay", "{\"seq\": " + std::to_string(seq) + "}");
  EXPECT_EQ(replayed["replayed"], 1);
  Json deliveries = Expect(200, "GET", "/api/v1/hooks/web/deliveries", "", "viewer");
  ASSERT_EQ(deliveries["items"].size(), 1u);
  EXPECT_EQ(deliveries["items"][0]["status"], "pending");
  EXPECT_EQ(deliveries["items"][0]["event"]["type"], "model.approved");
  EXPECT_TRUE(Expect(200, "GET", "/api/v1/hooks/web/deliveries?dead=true", "", "viewer")["items"].empty());

  Expect(200, "DELETE", "/api/v1/hooks/web", "", "operator");
  EXPECT_TRUE(Expect(200, "GET", "/api/v1/hooks", "", "viewer")["items"].empty());
}

}  // namespace
}  // namespace grove::api::rest
