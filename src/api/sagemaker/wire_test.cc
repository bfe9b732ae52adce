#include "api/sagemaker/wire.h"

#include <gtest/gtest.h>

namespace grove::api::sagemaker {
namespace {

TEST(WireTest, ErrorsCarryTheCodeWhereBotocoreReadsIt) {
  api::HttpResponse r = ErrorResponse(Status::NotFound("Pipeline 'x' does not exist."));
  EXPECT_EQ(r.status, 400) << "a 5xx would make clients retry a deterministic failure";
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.1");
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["__type"], "ResourceNotFound");
  EXPECT_EQ(body["Message"], "Pipeline 'x' does not exist.");
  EXPECT_EQ(r.headers.Get("x-amzn-ErrorType"), "ResourceNotFound");
  EXPECT_EQ(Json::parse(ErrorResponse(Status::InvalidArgument("bad")).body)["__type"], "ValidationException");
  EXPECT_EQ(Json::parse(ErrorResponse(Status::FailedPrecondition("no")).body)["__type"], "ConflictException");
  EXPECT_EQ(ErrorResponse(Status::IOError("disk")).status, 500);
}

TEST(WireTest, TimestampsAreEpochSecondsWithMilliseconds) {
  EXPECT_DOUBLE_EQ(Timestamp(1700000000123).get<double>(), 1700000000.123);
  EXPECT_EQ(TimestampOf(Json(1672531200), "createdAfter").value(), 1672531200000);
  EXPECT_FALSE(TimestampOf(Json("yesterday"), "createdAfter").ok());
  auto range = TimeRangeOf({{"CreatedAfter", 10}}, "CreatedAfter", "CreatedBefore");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->first, 10000);
  EXPECT_GT(range->second, TimeMs{1} << 60) << "no CreatedBefore: unbounded";
  EXPECT_FALSE(TimeRangeOf({{"CreatedBefore", "soon"}}, "CreatedAfter", "CreatedBefore").ok());
}

TEST(WireTest, PagedListsCarryTheirKeyAndTheNextToken) {
  std::vector<int> items = {1, 2, 3};
  auto first = PagedList(Json{{"MaxResults", 2}}, items, 50, "Items", [](int i) { return Json(i * 10); });
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)["Items"], Json::array({10, 20}));
  ASSERT_TRUE(first->contains("NextToken"));
  auto last = PagedList(Json{{"NextToken", (*first)["NextToken"]}}, items, 50, "Items", [](int i) { return Json(i); });
  EXPECT_EQ((*last)["Items"], Json::array({3}));
  EXPECT_FALSE(last->contains("NextToken"));
}

TEST(WireTest, PagesWalkTheListWithOpaqueTokens) {
  Json request = {{"MaxResults", 2}};
  auto first = PageOf(request, 5);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->offset, 0u);
  EXPECT_EQ(first->size, 2u);
  ASSERT_FALSE(first->next_token.empty());
  request["NextToken"] = first->next_token;
  auto second = PageOf(request, 5);
  EXPECT_EQ(second->offset, 2u);
  request["NextToken"] = second->next_token;
  auto last = PageOf(request, 5);
  EXPECT_EQ(last->offset, 4u);
  EXPECT_EQ(last->size, 1u);
  EXPECT_TRUE(last->next_token.empty()) << "the last page has no NextToken";

  EXPECT_EQ(PageOf(Json::object(), 250)->size, 100u) << "MaxResults defaults to 100";
  EXPECT_EQ(PageOf({{"NextToken", ""}}, 3)->offset, 0u) << "an empty token starts over";
  EXPECT_EQ(PageOf({{"NextToken", "grove-page-99"}}, 3)->size, 0u) << "a token past the end gives an empty page";
  for (const Json& bad : {Json{{"MaxResults", 0}}, Json{{"MaxResults", 101}}, Json{{"MaxResults", "5"}},
                          Json{{"NextToken", "page2"}}, Json{{"NextToken", "grove-page-"}}, Json{{"NextToken", "grove-page-1x"}}}) {
    auto page = PageOf(bad, 3);
    ASSERT_FALSE(page.ok()) << bad.dump();
    EXPECT_EQ(page.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(WireTest, ResourceNamesFollowSageMakersPattern) {
  EXPECT_TRUE(CheckResourceName("pipelineName", "abalone-Pipeline--2", 256).ok());
  for (const std::string bad : {"bad_name", "-lead", "trail-", "", "a b"}) {
    Status s = CheckResourceName("pipelineName", bad, 256);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("'pipelineName'"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(CheckResourceName("pipelineName", std::string(256, 'p'), 256).ok());
  EXPECT_NE(CheckResourceName("pipelineName", std::string(257, 'p'), 256).message().find("length between 1 and 256"),
            std::string::npos);
}

TEST(WireTest, TextWrittenDirectlyIsWhatTheSerialiserWrites) {
  const std::vector<std::string> strings = {"", "BenchModelGroup", "a\"b\\c", std::string("nul\0and\x1f", 8),
                                            "tab\tnew\nline\r\b\f", "caf\xc3\xa9 \xe2\x82\xac",
                                            "bad \xff utf-8", "del\x7f"};
  for (const std::string& text : strings) {
    std::string out;
    AppendJsonString(out, text);
    EXPECT_EQ(out, JsonText(Json(text))) << text;
  }
  std::vector<TimeMs> times = {0, 1, 10, 100, 999, 1000, 1001, 1010, 1100, 1795803038508, 1795803038500,
                               1795803038050, 1795803038005, 1795803038000, -1500, TimeMs{1} << 53};
  for (TimeMs t = 1'700'000'000'000; t < 1'700'000'000'000 + 20'000; t += 7) times.push_back(t);
  for (TimeMs t : times) {
    std::string out;
    AppendTimestamp(out, t);
    EXPECT_EQ(out, JsonText(Timestamp(t))) << t;
  }
}

TEST(WireTest, MembersNameWhatIsWrong) {
  Json body = {{"PipelineName", "p"}, {"SortBy", "Bogus"}, {"Count", 3}};
  Members m(body);
  EXPECT_EQ(m.Required("PipelineName").value(), "p");
  auto missing = m.Required("PipelineExecutionArn");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("'PipelineExecutionArn'"), std::string::npos);
  auto sort = m.OneOf("SortBy", {"Name", "CreationTime"}, "CreationTime");
  ASSERT_FALSE(sort.ok());
  EXPECT_NE(sort.status().message().find("Member must satisfy enum value set: [Name, CreationTime]"), std::string::npos);
  EXPECT_EQ(m.OneOf("SortOrder", {"Ascending", "Descending"}, "Descending").value(), "Descending");
  EXPECT_FALSE(m.Optional("Count").ok());
}

}  // namespace
}  // namespace grove::api::sagemaker
