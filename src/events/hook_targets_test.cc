#include "events/hook_targets.h"

#include <gtest/gtest.h>

#include "common/file_util.h"

namespace grove::events {
namespace {

HookSpec Spec(const std::string& body) {
  std::string field;
  return HookSpecFromJson("t", Json::parse(body), &field).value();
}

class FakeHookActions : public HookActions {
 public:
  Result<std::string> StartPipeline(const std::string& pipeline, const std::map<std::string, std::string>& parameters,
                                    const std::string& delivery_id) override {
    started.push_back({pipeline, parameters, delivery_id});
    return std::string("exec1");
  }
  struct Started {
    std::string pipeline;
    std::map<std::string, std::string> parameters;
    std::string delivery_id;
  };
  std::vector<Started> started;
};

const Json kHookEvent = {{"type", "model.approved"}, {"seq", 4}, {"subject", "g/2"}, {"group", "g"}, {"version", 2}};

TEST(HookTargets, SignsWithHmacSha256) {
  // RFC 4231, test case 2.
  EXPECT_EQ(SignBody("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HookTargets, CommandGetsTheEventOnStdin) {
  TempDir dir;
  const std::string out = (dir.path() / "event.json").string();
  HookSpec spec = Spec(R"({"on": "model.approved", "command": "cat > )" + out + R"(; echo done $GROVE_EVENT_TYPE"})");
  NetworkHookTargets targets({});
  HookAttempt a = targets.Deliver({&spec, "d1", "", &kHookEvent});
  EXPECT_TRUE(a.ok) << a.outcome << a.detail;
  EXPECT_EQ(a.outcome, "exit 0");
  EXPECT_EQ(a.detail, "done model.approved\n");
  EXPECT_EQ(Json::parse(ReadFile(out).value()), kHookEvent);

  HookSpec failing = Spec(R"({"on": "model.approved", "command": "echo oops >&2; exit 3"})");
  a = targets.Deliver({&failing, "d1", "", &kHookEvent});
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.outcome, "exit 3");
  EXPECT_EQ(a.detail, "oops\n");
  // A command that does not read its input still runs (no SIGPIPE ends the caller).
  HookSpec deaf = Spec(R"({"on": "model.approved", "command": "exit 0"})");
  EXPECT_TRUE(targets.Deliver({&deaf, "d1", "", &kHookEvent}).ok);
}

TEST(HookTargets, CommandIsKilledAfterTheTimeout) {
  HookTargetOptions options;
  options.command_timeout = std::chrono::milliseconds(300);
  NetworkHookTargets targets(options);
  HookSpec spec = Spec(R"({"on": "model.approved", "command": "sleep 30"})");
  auto start = std::chrono::steady_clock::now();
  HookAttempt a = targets.Deliver({&spec, "d1", "", &kHookEvent});
  EXPECT_FALSE(a.ok);
  EXPECT_NE(a.outcome.find("timed out"), std::string::npos) << a.outcome;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(HookTargets, WebhookAndEmailFailWithoutAServer) {
  HookTargetOptions options;
  options.http_timeout = std::chrono::milliseconds(2000);
  NetworkHookTargets targets(options);
  HookSpec web = Spec(R"({"on": "model.approved", "webhook": "http://127.0.0.1:1/h"})");
  HookAttempt a = targets.Deliver({&web, "d1", "k", &kHookEvent});
  EXPECT_FALSE(a.ok);
  EXPECT_NE(a.detail.find("127.0.0.1:1"), std::string::npos) << a.detail;
  HookSpec mail = Spec(R"({"on": "model.approved", "email": "ops@example.com"})");
  a = targets.Deliver({&mail, "d1", "", &kHookEvent});
  EXPECT_FALSE(a.ok);
  EXPECT_NE(a.detail.find("--smtp-url"), std::string::npos) << a.detail;
}

// A failure names the server it could not reach, but not the password in its URL.
TEST(HookTargets, FailuresDoNotShowAPasswordInTheUrl) {
  HookTargetOptions options;
  options.http_timeout = std::chrono::milliseconds(2000);
  options.smtp_timeout = std::chrono::milliseconds(2000);
  options.smtp_url = "smtp://grove:s3cretpass@127.0.0.1:1";
  NetworkHookTargets targets(options);
  HookSpec mail = Spec(R"({"on": "model.approved", "email": "ops@example.com"})");
  HookAttempt a = targets.Deliver({&mail, "d1", "", &kHookEvent});
  EXPECT_FALSE(a.ok);
  EXPECT_NE(a.detail.find("smtp://grove:***@127.0.0.1:1"), std::string::npos) << a.detail;
  EXPECT_EQ(a.detail.find("s3cretpass"), std::string::npos) << a.detail;
  HookSpec web = Spec(R"({"on": "model.approved", "webhook": "http://u:hookpass@127.0.0.1:1/h?x=a@b"})");
  a = targets.Deliver({&web, "d1", "k", &kHookEvent});
  EXPECT_FALSE(a.ok);
  EXPECT_NE(a.detail.find("http://u:***@127.0.0.1:1/h"), std::string::npos) << a.detail;
  EXPECT_EQ(a.detail.find("hookpass"), std::string::npos) << a.detail;
}

TEST(HookTargets, StartFillsTemplatesFromTheEvent) {
  FakeHookActions actions;
  HookTargetOptions options;
  options.actions = &actions;
  NetworkHookTargets targets(options);
  HookSpec spec = Spec(R"({"on":"model.approved","start":{"pipeline":"abalone","parameters":{"Note":"{group}/{version}"}}})");
  HookAttempt a = targets.Deliver({&spec, "d9", "", &kHookEvent});
  EXPECT_TRUE(a.ok);
  EXPECT_EQ(a.outcome, "execution exec1");
  ASSERT_EQ(actions.started.size(), 1u);
  EXPECT_EQ(actions.started[0].pipeline, "abalone");
  EXPECT_EQ(actions.started[0].parameters.at("Note"), "g/2");
  EXPECT_EQ(actions.started[0].delivery_id, "d9");
  HookSpec unknown = Spec(R"({"on":"model.approved","start":{"pipeline":"p","parameters":{"N":"{nope}"}}})");
  a = targets.Deliver({&unknown, "d9", "", &kHookEvent});
  EXPECT_FALSE(a.ok);
  EXPECT_NE(a.detail.find("{nope}"), std::string::npos) << a.detail;
  EXPECT_FALSE(NetworkHookTargets({}).Deliver({&spec, "d", "", &kHookEvent}).ok);
}

}  // namespace
}  // namespace grove::events
