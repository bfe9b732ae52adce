// GET /api/v1/executions/{id}/logs/stream: a step's log as server-sent events
// while it grows, then its end; resumable by byte offset.
#include "api/rest/log_stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/rest/rest_test_fixture.h"
#include "pipeline/step_attempt.h"

namespace grove::api::rest {
namespace {

using app::testing::kScriptPipeline;
using ::testing::HasSubstr;
using ::testing::Not;

// What a client made of a log stream: the text of its log events in order,
// their ids, and the status of its end event ("" when none came).
struct LogEvents {
  std::string text;
  std::vector<uint64_t> ids;
  std::string end_status;
};

// Reads the events out of raw response bytes (chunk framing sits between
// events, on lines of its own, and is skipped).
LogEvents ParseLogEvents(const std::string& raw) {
  LogEvents out;
  std::string event;
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t end = raw.find('\n', pos);
    if (end == std::string::npos) end = raw.size();
    std::string_view line(raw.data() + pos, end - pos);
    pos = end + 1;
    if (line.starts_with("id: ")) out.ids.push_back(std::stoull(std::string(line.substr(4))));
    if (line.starts_with("event: ")) event = line.substr(7);
    if (!line.starts_with("data: ")) continue;
    Json data = Json::parse(line.substr(6));
    if (event == "log") out.text += data["text"].get<std::string>();
    if (event == "end") out.end_status = data["status"];
  }
  return out;
}

class LogStreamTest : public RestTest {
 protected:
  // Opens the log stream of `step` of `id` with `headers`.
  std::unique_ptr<http_test::TestClient> Open(const std::string& id, const std::string& step,
                                              const std::string& headers = "") {
    return OpenStream("/api/v1/executions/" + id + "/logs/stream?step=" + step, headers);
  }
  // Stores `yaml`, the definition of pipeline `name`, and starts it; the execution's id.
  std::string Start(const std::string& name, const std::string& yaml) {
    Call("POST", "/api/v1/pipelines", yaml, "operator");
    return Expect(201, "POST", "/api/v1/executions", Json{{"pipeline", name}}.dump(), "operator")["id"];
  }
  // The stored log of a finished step.
  std::string StoredLog(const std::string& id, const std::string& step) {
    return Expect(200, "GET", "/api/v1/executions/" + id + "/logs?step=" + step)["items"][0]["log"];
  }
};

TEST_F(LogStreamTest, FollowsARunningStepThenEndsWithItsStatus) {
  const std::string gate = (dir_.path() / "gate").string();
  const std::string id = Start("talk", "pipeline: talk\nsteps:\n  - name: Talk\n    type: Processing\n    arguments:\n"
                               "      command: [sh, -c, 'echo first; while [ ! -e " + gate +
                               " ]; do sleep 0.01; done; echo second']\n");
  // The step runs once its status says so (a stream needs its step run).
  auto events = OpenStream("/api/v1/events?subject=" + id);
  const std::string executing = "\"step\":\"Talk\",\"status\":\"Executing\"";
  EXPECT_THAT(events->ReadUntil(executing), HasSubstr(executing));

  auto client = Open(id, "Talk");
  std::string raw = client->ReadUntil("first");
  EXPECT_THAT(raw, HasSubstr("event: log\ndata: {\"text\":"));
  EXPECT_THAT(raw, Not(HasSubstr("second")));
  EXPECT_THAT(raw, Not(HasSubstr("event: end")));

  ASSERT_TRUE(WriteFile(gate, "").ok());  // Let the step finish.
  raw += client->ReadUntil("event: end");
  raw += client->ReadUntilClosed();
  LogEvents log = ParseLogEvents(raw);
  EXPECT_EQ(log.end_status, "Succeeded");
  EXPECT_EQ(log.text, StoredLog(id, "Talk"));
  EXPECT_THAT(log.text, HasSubstr("first\nsecond\n"));
  ASSERT_GE(log.ids.size(), 2u);  // "first" while running, "second" later.
  for (size_t i = 1; i < log.ids.size(); ++i) EXPECT_LT(log.ids[i - 1], log.ids[i]);
  EXPECT_EQ(log.ids.back(), log.text.size());  // Each id is the byte offset after its text.
}

TEST_F(LogStreamTest, AFinishedStepSendsItsWholeLogThenItsEnd) {
  const std::string id = Start("hello", kScriptPipeline);
  ASSERT_TRUE(executor_->Wait(id).ok());
  const std::string stored = StoredLog(id, "Write");
  ASSERT_THAT(stored, HasSubstr("logged\n"));

  std::string raw = Open(id, "Write")->ReadUntilClosed();
  EXPECT_THAT(raw, HasSubstr("retry: 1000\n\n"));
  LogEvents log = ParseLogEvents(raw);
  EXPECT_EQ(log.text, stored);
  EXPECT_EQ(log.ids, std::vector<uint64_t>{stored.size()});  // One event: everything there is.
  EXPECT_EQ(log.end_status, "Succeeded");
  EXPECT_THAT(raw, HasSubstr("id: " + std::to_string(stored.size()) + "\nevent: log\ndata: {\"text\":"));
  EXPECT_THAT(raw, HasSubstr("event: end\ndata: {\"status\":\"Succeeded\"}\n\n"));
}

TEST_F(LogStreamTest, LastEventIdResumesAtThatByteOffset) {
  const std::string id = Start("hello", kScriptPipeline);
  ASSERT_TRUE(executor_->Wait(id).ok());
  const std::string stored = StoredLog(id, "Write");
  ASSERT_GT(stored.size(), 3u);

  LogEvents rest = ParseLogEvents(Open(id, "Write", "Last-Event-ID: 3\r\n")->ReadUntilClosed());
  EXPECT_EQ(rest.text, stored.substr(3));
  EXPECT_EQ(rest.ids, std::vector<uint64_t>{stored.size()});
  EXPECT_EQ(rest.end_status, "Succeeded");
  // Everything seen: only the end.
  const std::string all_seen = "Last-Event-ID: " + std::to_string(stored.size()) + "\r\n";
  LogEvents none = ParseLogEvents(Open(id, "Write", all_seen)->ReadUntilClosed());
  EXPECT_EQ(none.text, "");
  EXPECT_TRUE(none.ids.empty());
  EXPECT_EQ(none.end_status, "Succeeded");
}

TEST_F(LogStreamTest, AStepNamedWrongOrNotAtAllIsRefusedBeforeTheStream) {
  const std::string id = Start("hello", kScriptPipeline);
  ASSERT_TRUE(executor_->Wait(id).ok());
  const std::string base = "/api/v1/executions/" + id + "/logs/stream";
  EXPECT_THAT(Expect(400, "GET", base, "", "viewer")["error"]["message"].get<std::string>(),
              HasSubstr("parameter 'step' is required"));
  Json no_step = Expect(404, "GET", base + "?step=Nope", "", "viewer");
  EXPECT_EQ(no_step["error"]["code"], "NotFound");
  EXPECT_THAT(no_step["error"]["message"].get<std::string>(), HasSubstr("no step 'Nope'"));
  EXPECT_THAT(no_step["error"]["message"].get<std::string>(), HasSubstr("(steps: Write)"));
  Json no_execution = Expect(404, "GET", "/api/v1/executions/nope/logs/stream?step=Write");
  EXPECT_THAT(no_execution["error"]["message"].get<std::string>(), HasSubstr("no execution 'nope'"));
  auto bad =
      http_test::Fetch(server_->port(), "GET", base + "?step=Write", "", Auth("viewer") + "Last-Event-ID: x\r\n");
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("Last-Event-ID 'x': expected a byte offset"));
  EXPECT_EQ(Call("GET", base + "?step=Write", "", "nobody").status, 401);
}

// The stream itself, poll by poll, over a step run made to look running.
TEST_F(LogStreamTest, WholeLinesOnlyWhileRunningThenTheRestOfTheStoredLog) {
  const std::string id = Start("hello", kScriptPipeline);
  ASSERT_TRUE(executor_->Wait(id).ok());
  store::StepRunRecord run = home_->metadata()->GetStepRun(id, "Write").value();
  run.status = store::kExecuting;
  run.log_digest.clear();
  ASSERT_TRUE(home_->metadata()->PutStepRun(run, {}, {}).ok());
  const std::filesystem::path live = pipeline::StepLogPath(home_->work(), id, "Write");
  ASSERT_TRUE(WriteFile(live, "one\ntw").ok());

  EventStreamOptions options;
  options.poll = std::chrono::milliseconds(0);
  StepLogStream stream(home_.get(), id, "Write", 0, options);
  EXPECT_EQ(stream.Next(), "retry: 1000\n\n");
  EXPECT_EQ(stream.Next(), FormatLogEvent(4, "one\n"));
  EXPECT_EQ(stream.Next(), "");  // "tw" is not a line yet.
  ASSERT_TRUE(WriteFile(live, "one\ntwo\nthr").ok());
  EXPECT_EQ(stream.Next(), FormatLogEvent(8, "two\n"));

  // Ended: the stored log's rest, partial line included, then the end.
  run.status = store::kFailed;
  run.log_digest = home_->artifacts()->PutBytes("one\ntwo\nthree")->digest;
  ASSERT_TRUE(home_->metadata()->PutStepRun(run, {}, {}).ok());
  EXPECT_EQ(stream.Next(), FormatLogEvent(13, "three") + FormatLogEnd("Failed"));
  EXPECT_EQ(stream.Next(), std::nullopt);
}

TEST(FormatLogEventTest, OneLineOfJsonDataWhateverTheBytes) {
  EXPECT_EQ(FormatLogEvent(12, "a \"b\"\nc\n"), "id: 12\nevent: log\ndata: {\"text\":\"a \\\"b\\\"\\nc\\n\"}\n\n");
  EXPECT_EQ(FormatLogEvent(1, "\xff"), "id: 1\nevent: log\ndata: {\"text\":\"\xEF\xBF\xBD\"}\n\n");  // U+FFFD.
  EXPECT_EQ(FormatLogEnd("Stopped"), "event: end\ndata: {\"status\":\"Stopped\"}\n\n");
}

}  // namespace
}  // namespace grove::api::rest
