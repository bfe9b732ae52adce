// GET /api/v1/events: every event as a server-sent event, resumable by seq.
#include "api/rest/event_stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/rest/rest_test_fixture.h"

namespace grove::api::rest {
namespace {

using app::testing::kScriptPipeline;
using ::testing::HasSubstr;
using ::testing::Not;

class EventStreamTest : public RestTest {
 protected:
  // Stores two pipeline versions: events 1 and 2.
  void TwoEvents() {
    Call("POST", "/api/v1/pipelines", kScriptPipeline);
    Call("POST", "/api/v1/pipelines", std::string(kScriptPipeline) + "# v2\n");
  }
};

TEST_F(EventStreamTest, SendsEveryEventWithItsSeqKindAndRecord) {
  TwoEvents();
  auto client = OpenStream("/api/v1/events");
  std::string text = client->ReadUntil("id: 2\n");
  EXPECT_THAT(text, HasSubstr("retry: 1000\n\n"));
  EXPECT_THAT(text, HasSubstr("id: 1\nevent: pipeline.version\ndata: {\"seq\":1,"));
  EXPECT_THAT(text, HasSubstr("\"kind\":\"pipeline.version\",\"subject\":\"hello\",\"payload\":{\"pipeline\":\"hello\","
                              "\"version\":1,"));
  // New events arrive on the open stream.
  Call("POST", "/api/v1/pipelines", std::string(kScriptPipeline) + "# v3\n");
  text += client->ReadUntil("id: 3\n");
  EXPECT_THAT(text, HasSubstr("id: 3\nevent: pipeline.version\ndata: {\"seq\":3,"));
}

TEST_F(EventStreamTest, ResumesAfterLastEventIdOrTheAfterParameter) {
  TwoEvents();
  std::string text = OpenStream("/api/v1/events", "Last-Event-ID: 1\r\n")->ReadUntil("id: 2\n");
  EXPECT_THAT(text, Not(HasSubstr("id: 1\n")));
  EXPECT_THAT(text, HasSubstr("id: 2\nevent: pipeline.version\n"));
  // Last-Event-ID (a reconnecting EventSource) wins over the ?after= of its first URL.
  text = OpenStream("/api/v1/events?after=0", "Last-Event-ID: 1\r\n")->ReadUntil("id: 2\n");
  EXPECT_THAT(text, Not(HasSubstr("id: 1\n")));
  text = OpenStream("/api/v1/events?after=1")->ReadUntil("id: 2\n");
  EXPECT_THAT(text, Not(HasSubstr("id: 1\n")));
  EXPECT_THAT(text, HasSubstr("id: 2\n"));
  // "latest": only what comes next.
  auto next = OpenStream("/api/v1/events?after=latest");
  Call("POST", "/api/v1/pipelines", std::string(kScriptPipeline) + "# v3\n");
  text = next->ReadUntil("id: 3\n");
  EXPECT_THAT(text, Not(HasSubstr("id: 2\n")));
  EXPECT_THAT(text, HasSubstr("id: 3\nevent: pipeline.version\n"));
}

TEST_F(EventStreamTest, SubjectKeepsOnlyItsEvents) {
  Call("POST", "/api/v1/pipelines", kScriptPipeline);
  Json started = Expect(201, "POST", "/api/v1/executions", R"({"pipeline": "hello"})");
  ASSERT_TRUE(executor_->Wait(started["id"]).ok());
  std::string text = OpenStream("/api/v1/events?subject=" + started["id"].get<std::string>())
                         ->ReadUntil("\"status\":\"Succeeded\",\"failure_reason\"");
  EXPECT_THAT(text, Not(HasSubstr("event: pipeline.version")));
  EXPECT_THAT(text, HasSubstr("event: execution.created"));
  EXPECT_THAT(text, HasSubstr("event: step.status"));
  EXPECT_THAT(text, HasSubstr("event: execution.status"));
}

TEST_F(EventStreamTest, ABadResumePointIsA400NamingIt) {
  auto bad = Call("GET", "/api/v1/events?after=x", "", "viewer");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("after 'x'"));
  auto header =
      http_test::Fetch(server_->port(), "GET", "/api/v1/events", "", Auth("viewer") + "Last-Event-ID: -3\r\n");
  EXPECT_EQ(header->status, 400);
  EXPECT_THAT(header->body, HasSubstr("Last-Event-ID '-3'"));
  EXPECT_EQ(Call("GET", "/api/v1/events", "", "nobody").status, 401);
}

class EventKeepAliveTest : public EventStreamTest {
 protected:
  void SetUp() override {
    keep_alive_ = std::chrono::milliseconds(50);
    EventStreamTest::SetUp();
  }
};

TEST_F(EventKeepAliveTest, SilenceIsBrokenByComments) {
  auto client = OpenStream("/api/v1/events");
  EXPECT_THAT(client->ReadUntil(": keep-alive\n\n", 2000), HasSubstr(": keep-alive\n\n"));
}

TEST(FormatEventTest, OneLineOfDataEndedByABlankLine) {
  store::EventRecord event;
  event.seq = 42;
  event.kind = "model.approval";
  event.subject = "G/1";
  event.payload = {{"comment", "two\nlines"}};
  EXPECT_EQ(FormatEvent(event),
            "id: 42\nevent: model.approval\ndata: {\"seq\":42,\"at\":null,\"kind\":\"model.approval\",\"subject\":"
            "\"G/1\",\"payload\":{\"comment\":\"two\\nlines\"}}\n\n");
}

}  // namespace
}  // namespace grove::api::rest
