#include "events/hook_spec.h"

#include <gtest/gtest.h>

namespace grove::events {
namespace {

Result<HookSpec> Parse(const std::string& text, std::string* field) {
  return HookSpecFromJson("h1", Json::parse(text), field);
}

TEST(HookSpec, ReadsEachTargetAndRoundTrips) {
  std::string field;
  for (const char* text :
       {R"({"on": "model.approved", "where": {"group": "*-model-registry"}, "webhook": "http://127.0.0.1:9000/h"})",
        R"({"on": "execution.failed", "email": "ops@example.com"})",
        R"({"on": "execution.failed", "email": ["a@example.com", "b@example.org"], "max_attempts": 2})",
        R"({"on": "model.*", "command": "cat > /tmp/x", "max_attempts": 1})",
        R"({"on":"model.approved","start":{"pipeline":"abalone","parameters":{"Note":"{group}/{version}"}}})",
        R"({"on": "quality.violation", "webhook": "https://x.example/h", "secret_env": "HOOK_SECRET"})"}) {
    Result<HookSpec> spec = Parse(text, &field);
    ASSERT_TRUE(spec.ok()) << text << ": " << spec.status().ToString();
    EXPECT_EQ(spec->name, "h1");
    Result<HookSpec> again = HookSpecFromJson("h1", ToJson(*spec), &field);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, *spec) << ToJson(*spec).dump();
  }
  HookSpec spec = Parse(R"({"on":"model.approved","start":{"pipeline":"p","parameters":{"N":"{group}"}}})", &field).value();
  EXPECT_EQ(spec.target_kind(), HookTargetKind::kStart);
  EXPECT_EQ(spec.start->parameters.at("N"), "{group}");
  EXPECT_EQ(spec.max_attempts, 5);
}

TEST(HookSpec, ErrorsNameTheMember) {
  struct Case {
    const char* text;
    const char* field;
    const char* says;
  } cases[] = {
      {R"({"on": "model.aproved", "webhook": "http://x/h"})", "on", "did you mean 'model.approved'"},
      {R"({"webhook": "http://x/h"})", "on", "missing"},
      {R"({"on": "model.approved", "webhok": "http://x/h"})", "webhok", "did you mean 'webhook'"},
      {R"({"on": "model.approved", "webhook": "ftp://x/h"})", "webhook", "http"},
      {R"({"on": "model.approved", "email": "not-an-address"})", "email", "not an email"},
      {R"({"on": "model.approved", "email": ["a@b.com", "x"]})", "email/1", "not an email"},
      {R"({"on": "model.approved"})", "", "no target"},
      {R"({"on": "model.approved", "command": "x", "email": "a@b.com"})", "", "more than one"},
      {R"({"on": "model.approved", "command": "x", "max_attempts": 0})", "max_attempts", "1 to 100"},
      {R"({"on": "model.approved", "command": "x", "max_attempts": 101})", "max_attempts", "1 to 100"},
      {R"({"on": "model.approved", "command": "x", "where": {"group": []}})", "where/group", "glob"},
      {R"({"on": "model.approved", "start": {"pipeline": "p", "parameters": {"N": "{group"}}})",
       "start/parameters/N", "without '}'"},
      {R"({"on": "model.approved", "start": {"parameters": {}}})", "start/pipeline", "missing"},
      {R"({"on": "model.approved", "command": "x", "secret_env": "S"})", "secret_env", "webhook"},
      {R"([1])", "", "expected an object"},
  };
  for (const Case& c : cases) {
    std::string field = "unset";
    Result<HookSpec> spec = Parse(c.text, &field);
    ASSERT_FALSE(spec.ok()) << c.text;
    EXPECT_EQ(field, c.field) << c.text;
    EXPECT_NE(spec.status().message().find(c.says), std::string::npos) << spec.status().message();
  }
  std::string field;
  EXPECT_FALSE(HookSpecFromJson("bad name", Json::parse(R"({"on":"model.approved","command":"x"})"), &field).ok());
  EXPECT_EQ(field, "");
}

}  // namespace
}  // namespace grove::events
