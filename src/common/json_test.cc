#include "common/json.h"

#include <gtest/gtest.h>

namespace grove {
namespace {

TEST(JsonTest, CanonicalJsonSortsKeysAtEveryLevel) {
  Json a = Json::parse(R"({"b": 1, "a": {"y": [3, {"q": 1, "p": 2}], "x": null}})");
  Json b = Json::parse(R"({"a": {"x": null, "y": [3, {"p": 2, "q": 1}]}, "b": 1})");
  EXPECT_NE(a.dump(), b.dump());  // Insertion order is kept otherwise.
  EXPECT_EQ(CanonicalJson(a), CanonicalJson(b));
  EXPECT_EQ(CanonicalJson(a), R"({"a":{"x":null,"y":[3,{"p":2,"q":1}]},"b":1})");
}

TEST(JsonTest, CanonicalJsonKeepsArrayOrderAndTypes) {
  EXPECT_NE(CanonicalJson(Json::parse("[1, 2]")), CanonicalJson(Json::parse("[2, 1]")));
  EXPECT_NE(CanonicalJson(Json::parse(R"({"n": 1})")), CanonicalJson(Json::parse(R"({"n": "1"})")));
  EXPECT_NE(CanonicalJson(Json::parse(R"({"n": 1})")), CanonicalJson(Json::parse(R"({"n": 1.5})")));
  EXPECT_EQ(CanonicalJson(Json::parse(R"("text")")), R"("text")");
}

TEST(JsonTest, OrderedJsonKeepsTheAuthorsKeyOrder) {
  Json splits = Json::parse(R"({"train": 0.7, "validation": 0.15, "test": 0.15})");
  EXPECT_EQ(splits.begin().key(), "train");
  EXPECT_EQ(splits.dump(), R"({"train":0.7,"validation":0.15,"test":0.15})");
}

}  // namespace
}  // namespace grove
