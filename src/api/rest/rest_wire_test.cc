#include "api/rest/rest_wire.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/request_target.h"

namespace grove::api::rest {
namespace {

using ::testing::HasSubstr;

HttpRequest Get(const std::string& target) {
  HttpRequest request;
  request.method = "GET";
  EXPECT_TRUE(ParseRequestTarget(target, &request).ok()) << target;
  return request;
}

Json Numbers(int n) {
  Json all = Json::array();
  for (int i = 0; i < n; ++i) all.push_back(i);
  return all;
}

TEST(PageTest, ATokenOnlyWhenMoreRemain) {
  PageRequest page;
  page.limit = 2;
  EXPECT_EQ(Page(Numbers(4), page), Json({{"items", {0, 1}}, {"next_page_token", "2"}}));
  page.offset = 2;
  EXPECT_EQ(Page(Numbers(4), page), Json({{"items", {2, 3}}}));  // Exactly the last page: no token.
  page.offset = 10;
  EXPECT_EQ(Page(Numbers(4), page), Json({{"items", Json::array()}}));
  EXPECT_EQ(page.wanted(), 13u);
}

TEST(PageTest, ReadPageChecksLimitAndToken) {
  auto page = ReadPage(Get("/x?limit=5&page_token=10"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->limit, 5u);
  EXPECT_EQ(page->offset, 10u);
  EXPECT_EQ(ReadPage(Get("/x"))->limit, PageRequest::kDefaultLimit);
  for (const char* bad : {"/x?limit=0", "/x?limit=1001", "/x?limit=-1", "/x?limit=2x", "/x?limit="}) {
    EXPECT_THAT(ReadPage(Get(bad)).status().message(), HasSubstr("limit")) << bad;
  }
  EXPECT_THAT(ReadPage(Get("/x?page_token=-3")).status().message(), HasSubstr("page_token '-3'"));
}

TEST(FieldsTest, TypesAreCheckedAndNamed) {
  Json body = {{"s", "text"}, {"n", 5}, {"b", true}, {"list", {"a", "b"}}, {"o", {{"k", 1}}}, {"null", nullptr}};
  Fields fields(body);
  EXPECT_EQ(*fields.String("s"), "text");
  EXPECT_THAT(fields.String("missing").status().message(), HasSubstr("field 'missing' is required"));
  EXPECT_THAT(fields.String("n").status().message(), HasSubstr("field 'n': expected a string"));
  EXPECT_EQ(*fields.OptionalString("null"), "");
  EXPECT_TRUE(*fields.OptionalBool("b"));
  EXPECT_THAT(fields.OptionalBool("s").status().message(), HasSubstr("field 's'"));
  EXPECT_EQ(*fields.OptionalNumber("n", 0, 10), 5);
  EXPECT_EQ(*fields.OptionalNumber("missing", 1, 10), 1);
  EXPECT_THAT(fields.OptionalNumber("n", 0, 4).status().message(), HasSubstr("a number from 0 to 4"));
  EXPECT_EQ(*fields.OptionalStrings("list"), (std::vector<std::string>{"a", "b"}));
  EXPECT_THAT(fields.OptionalStrings("o").status().message(), HasSubstr("an array of strings"));
  EXPECT_EQ(*fields.OptionalObject("o"), Json({{"k", 1}}));
  EXPECT_THAT(fields.OptionalObject("list").status().message(), HasSubstr("field 'list': expected an object"));
}

TEST(BodyObjectTest, EmptyIsAnObjectAndAnythingElseMustBeOne) {
  HttpRequest request;
  EXPECT_EQ(*BodyObject(request), Json::object());
  request.body = " \n";
  EXPECT_EQ(*BodyObject(request), Json::object());
  request.body = "[]";
  EXPECT_THAT(BodyObject(request).status().message(), HasSubstr("expected a JSON object"));
  request.body = "{\"a\": ";
  EXPECT_THAT(BodyObject(request).status().message(), HasSubstr("not valid JSON"));
}

TEST(PositiveIntTest, OnlyWholeNumbersFromOne) {
  EXPECT_EQ(*PositiveInt("12", "version"), 12);
  for (const char* bad : {"0", "-1", "1.5", "", "x", "99999999999"}) {
    EXPECT_THAT(PositiveInt(bad, "version").status().message(), HasSubstr("version")) << bad;
  }
}

}  // namespace
}  // namespace grove::api::rest
