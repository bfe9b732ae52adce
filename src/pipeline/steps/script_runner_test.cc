#include "pipeline/steps/script_runner.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <future>
#include <mutex>

#include "common/test_util.h"

namespace grove::pipeline {
namespace {

using std::chrono::milliseconds;

// Collects the lines a script logs; safe to read while the script runs.
class LogLines {
 public:
  std::function<void(const std::string&)> Sink() {
    return [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.push_back(line);
    };
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  // The number after "<label> " in a logged line, or 0 while there is none.
  pid_t Pid(const std::string& label) const {
    for (const std::string& line : lines()) {
      if (line.rfind(label + " ", 0) == 0) return static_cast<pid_t>(std::stol(line.substr(label.size() + 1)));
    }
    return 0;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

Status RunShell(const std::string& script, LogLines* log, std::map<std::string, std::string> env = {}) {
  ScriptRequest request;
  request.argv = {"sh", "-c", script};
  request.env = std::move(env);
  request.log = log->Sink();
  return RunScript(request);
}

TEST(ScriptRunnerTest, StdoutAndStderrGoToTheLogLineByLine) {
  LogLines log;
  Status s = RunShell("echo one; echo two >&2; echo; printf 'no newline at the end'", &log);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(log.lines(), (std::vector<std::string>{"one", "two", "", "no newline at the end"}));
}

TEST(ScriptRunnerTest, LargeOutputIsNotLost) {
  LogLines log;
  ASSERT_TRUE(RunShell("seq 1 50000", &log).ok());
  std::vector<std::string> lines = log.lines();
  ASSERT_EQ(lines.size(), 50000u);
  EXPECT_EQ(lines.front(), "1");
  EXPECT_EQ(lines[12345], "12346");
  EXPECT_EQ(lines.back(), "50000");
}

TEST(ScriptRunnerTest, EnvironmentIsInheritedWithOverrides) {
  LogLines log;
  ::setenv("GROVE_SCRIPT_RUNNER_TEST_INHERITED", "kept", 1);
  Status s = RunShell("echo \"$GROVE_SCRIPT_RUNNER_TEST_INHERITED $GROVE_X $HOME\"", &log,
                      {{"GROVE_X", "a b"}, {"HOME", "/nowhere"}});
  ::unsetenv("GROVE_SCRIPT_RUNNER_TEST_INHERITED");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(log.lines(), std::vector<std::string>{"kept a b /nowhere"});
}

TEST(ScriptRunnerTest, NonZeroExitQuotesTheLastFifteenLines) {
  LogLines log;
  Status s = RunShell("for i in $(seq 1 30); do echo line $i; done; exit 3", &log);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("command 'sh' exited with status 3; last output:"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("\n  line 16\n"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("\n  line 30"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("line 15\n"), std::string::npos) << s.message();
  EXPECT_EQ(log.lines().size(), 30u);  // The log has them all.
}

TEST(ScriptRunnerTest, DeathBySignalIsReported) {
  LogLines log;
  Status s = RunShell("kill -9 $$", &log);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "command 'sh' was killed by signal 9");
}

TEST(ScriptRunnerTest, CommandThatCannotRunExits127) {
  LogLines log;
  ScriptRequest request;
  request.argv = {"/no/such/program", "--flag"};
  request.log = log.Sink();
  Status s = RunScript(request);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("command '/no/such/program' exited with status 127"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("cannot run the command"), std::string::npos) << s.message();
  EXPECT_EQ(RunScript(ScriptRequest{}).code(), StatusCode::kInvalidArgument);
}

// A script that starts a child and waits, run on its own thread and stopped
// through `stop` once both have logged their pids.
class StoppedScript {
 public:
  StoppedScript(const std::string& prelude, int kill_grace_ms) {
    request_.argv = {"sh", "-c", prelude + "sleep 120 & echo child $!; echo script $$; wait"};
    request_.log = log_.Sink();
    request_.stop = &stop_;
    request_.kill_grace_ms = kill_grace_ms;
    result_ = std::async(std::launch::async, [this] { return RunScript(request_); });
  }
  // Never leaves processes behind, even when the runner failed to end them.
  ~StoppedScript() {
    stop_ = true;
    if (script_ > 0) ::kill(-script_, SIGKILL);
    if (child_ > 0) ::kill(child_, SIGKILL);
    if (result_.valid()) result_.wait();
  }

  bool Started() {
    bool started = WaitUntil([&] { return log_.Pid("child") > 0 && log_.Pid("script") > 0; });
    child_ = log_.Pid("child");
    script_ = log_.Pid("script");
    return started;
  }
  bool BothGone() const { return ProcessGone(script_) && ProcessGone(child_); }

  // Sets the stop flag; succeeds when, within `bound`, the script and its
  // child are gone and the runner has returned Cancelled.
  ::testing::AssertionResult StopEndsEverythingWithin(milliseconds bound) {
    stop_ = true;
    if (!WaitUntil([&] { return BothGone(); }, bound)) {
      return ::testing::AssertionFailure() << "the script or its child still runs " << bound.count()
                                           << " ms after the stop";
    }
    if (result_.wait_for(bound) != std::future_status::ready) {
      return ::testing::AssertionFailure() << "the runner has not returned";
    }
    Status s = result_.get();
    if (s.code() != StatusCode::kCancelled) return ::testing::AssertionFailure() << "returned " << s.ToString();
    return ::testing::AssertionSuccess();
  }

 private:
  LogLines log_;
  std::atomic<bool> stop_{false};
  ScriptRequest request_;
  std::future<Status> result_;
  pid_t script_ = 0, child_ = 0;
};

// The grace is long, so only the SIGTERM to the whole process group can end
// the script and its child in time; the child holds the output pipe open, so
// the runner returns only once it is gone too.
TEST(ScriptRunnerTest, StopTerminatesTheScriptsWholeProcessGroup) {
  StoppedScript script("", /*kill_grace_ms=*/600'000);
  ASSERT_TRUE(script.Started());
  EXPECT_FALSE(script.BothGone());
  EXPECT_TRUE(script.StopEndsEverythingWithin(milliseconds(5000)));
}

// A script (and its child) that ignore SIGTERM are killed after the grace.
TEST(ScriptRunnerTest, StopKillsWhatIgnoresSigtermAfterTheGrace) {
  StoppedScript script("trap '' TERM; ", /*kill_grace_ms=*/200);
  ASSERT_TRUE(script.Started());
  EXPECT_TRUE(script.StopEndsEverythingWithin(milliseconds(5000)));
}

}  // namespace
}  // namespace grove::pipeline
