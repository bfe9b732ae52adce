// The Slurm launcher against a fake cluster: what it submits, how it reads
// results and job states, arrays, cancels. tests/slurm/ runs it on a real one.
#include "pipeline/slurm_launcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "common/file_util.h"

namespace grove::pipeline {
namespace {

namespace fs = std::filesystem;

// An in-memory Slurm: sbatch numbers jobs from 100, every job stays PENDING
// until the test sets its state. Thread-safe: the launcher's poller calls it.
class FakeSlurm : public SlurmCommands {
 public:
  struct Submission {
    std::vector<std::string> args;
    std::string script;
    std::string id;
  };

  Result<std::string> Submit(const std::vector<std::string>& args, const fs::path& script) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!submit_error_.empty()) return Status::FailedPrecondition(submit_error_);
    Submission s{args, ReadFile(script).value(), std::to_string(next_id_++)};
    int tasks = 0;
    for (const std::string& a : args) {
      if (a.rfind("--array=0-", 0) == 0) tasks = std::stoi(a.substr(10)) + 1;
    }
    for (int i = 0; i < tasks; ++i) states_[s.id + "_" + std::to_string(i)] = {s.id + "_" + std::to_string(i), "PENDING", "", ""};
    if (tasks == 0) states_[s.id] = {s.id, "PENDING", "", ""};
    submissions_.push_back(s);
    cv_.notify_all();
    return s.id;
  }
  Result<std::vector<SlurmJobState>> Query(const std::vector<std::string>& job_ids) override {
    std::lock_guard<std::mutex> lock(mu_);
    queries_.push_back(job_ids);
    if (query_down_) return Status::FailedPrecondition("squeue failed: slurm_load_jobs error: Unable to contact slurm controller");
    std::vector<SlurmJobState> out;
    for (const auto& [id, state] : states_) {
      std::string base = id.substr(0, id.find('_'));
      if (std::find(job_ids.begin(), job_ids.end(), base) != job_ids.end()) out.push_back({id, state.state, state.reason, ""});
    }
    return out;
  }
  Result<SlurmJobState> Show(const std::string& job_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = states_.find(job_id);
    if (it == states_.end()) return Status::NotFound("Slurm no longer knows job " + job_id);
    return it->second;
  }
  Status Cancel(const std::vector<std::string>& job_ids) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& id : job_ids) {
      cancelled_.push_back(id);
      if (states_.count(id)) states_[id].state = "CANCELLED";
    }
    cv_.notify_all();
    return Status::OK();
  }

  // The n-th submission (from 0), once it has been made.
  Submission WaitForSubmission(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return submissions_.size() > n; });
    return submissions_.size() > n ? submissions_[n] : Submission{};
  }
  std::vector<std::string> WaitForCancel() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return !cancelled_.empty(); });
    return cancelled_;
  }
  void Set(const std::string& id, const std::string& state, const std::string& exit_code = "0:0",
           const std::string& reason = "None") {
    std::lock_guard<std::mutex> lock(mu_);
    states_[id] = {id, state, reason, exit_code};
  }
  void Forget(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    states_.erase(id);
  }
  void SetSubmitError(const std::string& message) {
    std::lock_guard<std::mutex> lock(mu_);
    submit_error_ = message;
  }
  void SetQueryDown(bool down) {
    std::lock_guard<std::mutex> lock(mu_);
    query_down_ = down;
  }
  size_t Submissions() {
    std::lock_guard<std::mutex> lock(mu_);
    return submissions_.size();
  }
  std::vector<std::vector<std::string>> Queries() {
    std::lock_guard<std::mutex> lock(mu_);
    return queries_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int next_id_ = 100;
  std::map<std::string, SlurmJobState> states_;
  std::vector<Submission> submissions_;
  std::vector<std::string> cancelled_;
  std::vector<std::vector<std::string>> queries_;
  std::string submit_error_;
  bool query_down_ = false;
};

bool Has(const std::vector<std::string>& args, const std::string& arg) {
  return std::find(args.begin(), args.end(), arg) != args.end();
}

class SlurmLauncherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fake = std::make_unique<FakeSlurm>();
    slurm_ = fake.get();
    SlurmLauncher::Options options;
    options.command = {"/opt/grove/bin/grove", {"--home", "/shared/grove"}};
    options.work_dir = work_.path();
    options.job_dir = "/shared/project";
    options.partition = "ml";
    options.sbatch_args = {"--time=30"};
    options.slots = 8;
    options.memory_mb = 2048;
    options.poll_ms = 2;
    options.query_ms = 2;
    options.result_grace_ms = 0;
    launcher_ = std::make_unique<SlurmLauncher>(options, std::move(fake));
  }

  StepTask Task(const std::string& step, int attempt = 1, int slots = 1) {
    StepDef& def = steps_.emplace_back();
    def.name = step;
    StepTask task;
    task.id = next_id_++;
    task.execution_id = "exec00000001";
    task.step = &def;
    task.attempt = attempt;
    task.slots = slots;
    return task;
  }
  // Writes what `grove step-run` writes when its attempt succeeds.
  void WriteResult(const StepTask& task, const std::string& digest) {
    AttemptResult result;
    result.status = "Succeeded";
    result.outputs = {{"out", digest}};
    fs::path path = StepResultPath(work_.path(), task);
    ASSERT_TRUE(MakeDirs(path.parent_path()).ok());
    ASSERT_TRUE(WriteFileAtomic(path, result.ToJson().dump()).ok());
  }
  std::string Log(const std::string& step) {
    auto text = ReadFile(StepLogPath(work_.path(), "exec00000001", step));
    return text.ok() ? *text : "";
  }
  // The step's log once it holds `text` (the poller writes it after sbatch returns), or as it is after 10 s.
  std::string LogWith(const std::string& step, const std::string& text) {
    for (int i = 0; i < 2000 && Log(step).find(text) == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return Log(step);
  }
  AttemptResult Ended() {
    auto result = launcher_->WaitForOne(10'000);
    EXPECT_TRUE(result.has_value()) << "no attempt ended within 10 s";
    return result.value_or(AttemptResult{});
  }

  TempDir work_;
  std::deque<StepDef> steps_;
  uint64_t next_id_ = 1;
  FakeSlurm* slurm_ = nullptr;
  std::unique_ptr<SlurmLauncher> launcher_;
};

TEST_F(SlurmLauncherTest, AnAttemptIsABatchJobWithItsResourcesRunningStepRun) {
  StepTask task = Task("Train", 2, 3);
  launcher_->Start(task);
  EXPECT_EQ(launcher_->FreeSlots(), 5);
  EXPECT_FALSE(launcher_->WaitForOne(0).has_value());
  FakeSlurm::Submission job = slurm_->WaitForSubmission(0);
  const fs::path log = StepLogPath(work_.path(), "exec00000001", "Train");
  for (const std::string& arg :
       {std::string("--job-name=grove-exec00000001-Train"), std::string("--partition=ml"),
        std::string("--cpus-per-task=3"), std::string("--mem=2048M"), "--output=" + log.string(),
        std::string("--open-mode=append"), std::string("--chdir=/shared/project"), std::string("--no-requeue"),
        std::string("--time=30")}) {
    EXPECT_TRUE(Has(job.args, arg)) << arg << " missing from sbatch's arguments";
  }
  EXPECT_EQ(job.args.back(), "--time=30") << "extra arguments come last, so they can override";
  const std::string result = StepResultPath(work_.path(), task).string();
  EXPECT_NE(job.script.find("exec '/opt/grove/bin/grove' '--home' '/shared/grove' 'step-run' 'exec00000001' "
                            "'Train' '--attempt' '2' '--threads' '3' '--task-id' '1' '--result' '" +
                            result + "'"),
            std::string::npos)
      << job.script;
  std::string log_text = LogWith("Train", "submitted as Slurm job 100");
  EXPECT_NE(log_text.find("submitted as Slurm job 100 (grove-exec00000001-Train, 3 CPUs, partition ml)"),
            std::string::npos)
      << log_text;
}

TEST_F(SlurmLauncherTest, NothingIsSubmittedUntilTheExecutorWaits) {
  launcher_->Start(Task("A"));
  launcher_->Start(Task("B"));
  EXPECT_EQ(slurm_->Submissions(), 0u);
  EXPECT_FALSE(launcher_->WaitForOne(0).has_value());
  slurm_->WaitForSubmission(1);
  EXPECT_EQ(slurm_->Submissions(), 2u);
}

TEST_F(SlurmLauncherTest, TheResultTheStepWroteIsTheAttemptsResult) {
  StepTask task = Task("Prepare");
  launcher_->Start(task);
  launcher_->WaitForOne(0);
  slurm_->WaitForSubmission(0);
  slurm_->Set("100", "RUNNING");
  WriteResult(task, "sha256:abc");
  AttemptResult ended = Ended();
  EXPECT_EQ(ended.task_id, task.id);
  EXPECT_EQ(ended.status, "Succeeded");
  EXPECT_EQ(ended.outputs["out"], "sha256:abc");
  EXPECT_EQ(launcher_->FreeSlots(), 8);
}

struct EndCase {
  std::string state;
  std::string exit_code;
  std::string reason;
  std::string expected;
};

class SlurmEndStateTest : public SlurmLauncherTest, public ::testing::WithParamInterface<EndCase> {};

TEST_P(SlurmEndStateTest, AJobThatEndsWithoutAResultFailsItsAttemptWithSlurmsReason) {
  StepTask task = Task("Train");
  launcher_->Start(task);
  launcher_->WaitForOne(0);
  slurm_->WaitForSubmission(0);
  slurm_->Set("100", GetParam().state, GetParam().exit_code, GetParam().reason);
  AttemptResult ended = Ended();
  EXPECT_EQ(ended.status, "Failed");
  EXPECT_EQ(ended.failure_reason, GetParam().expected);
  EXPECT_NE(Log("Train").find(GetParam().expected), std::string::npos) << Log("Train");
  EXPECT_EQ(launcher_->FreeSlots(), 8);
}

INSTANTIATE_TEST_SUITE_P(
    States, SlurmEndStateTest,
    ::testing::Values(
        EndCase{"OUT_OF_MEMORY", "0:125", "OutOfMemory",
                "Slurm job 100 ended OUT_OF_MEMORY: the step needed more memory than its job asked for "
                "(--step-memory-mb) (Slurm exit code 0:125, reason OutOfMemory)"},
        EndCase{"TIMEOUT", "0:15", "TimeLimit",
                "Slurm job 100 ended TIMEOUT: the job ran past its time limit (killed by signal 15 (Terminated), "
                "reason TimeLimit)"},
        EndCase{"NODE_FAIL", "0:0", "NodeDown", "Slurm job 100 ended NODE_FAIL: the node running it failed (reason NodeDown)"},
        EndCase{"FAILED", "0:9", "NonZeroExitCode",
                "Slurm job 100 ended FAILED: the step's process failed (killed by signal 9 (Killed), reason "
                "NonZeroExitCode)"},
        EndCase{"FAILED", "1:0", "NonZeroExitCode",
                "Slurm job 100 ended FAILED: the step's process failed (exit code 1, reason NonZeroExitCode)"},
        EndCase{"CANCELLED", "0:15", "None",
                "Slurm job 100 ended CANCELLED: the job was cancelled (scancel, or an administrator) (killed by "
                "signal 15 (Terminated))"},
        EndCase{"BOOT_FAIL", "0:0", "None", "Slurm job 100 ended BOOT_FAIL: its node failed to boot"},
        EndCase{"PREEMPTED", "0:0", "None", "Slurm job 100 ended PREEMPTED: a job of higher priority preempted it"},
        EndCase{"COMPLETED", "0:0", "None", "Slurm job 100 ended COMPLETED but the step wrote no result"}),
    [](const ::testing::TestParamInfo<EndCase>& info) {
      return info.param.state + "_" + std::to_string(info.index);
    });

// Slurm signals a job it ends (a time limit, scancel, preemption); the step
// then reports itself Stopped, but Grove asked no stop: the attempt fails
// with Slurm's reason, so the retry policy applies.
TEST_F(SlurmLauncherTest, AStepStoppedBySlurmsSignalFailsWithSlurmsReason) {
  StepTask task = Task("Train");
  launcher_->Start(task);
  launcher_->WaitForOne(0);
  slurm_->WaitForSubmission(0);
  slurm_->Set("100", "RUNNING");
  AttemptResult stopped;
  stopped.status = "Stopped";
  stopped.failure_reason = "stopped on request";
  ASSERT_TRUE(MakeDirs(StepResultPath(work_.path(), task).parent_path()).ok());
  ASSERT_TRUE(WriteFileAtomic(StepResultPath(work_.path(), task), stopped.ToJson().dump()).ok());
  EXPECT_FALSE(launcher_->WaitForOne(50).has_value()) << "the job has not ended yet";
  slurm_->Set("100", "TIMEOUT", "0:15", "TimeLimit");
  AttemptResult ended = Ended();
  EXPECT_EQ(ended.status, "Failed");
  EXPECT_EQ(ended.failure_reason.rfind("Slurm job 100 ended TIMEOUT: the job ran past its time limit", 0), 0u)
      << ended.failure_reason;
}

TEST_F(SlurmLauncherTest, AJobSlurmHasForgottenWithoutAResultFails) {
  launcher_->Start(Task("Train"));
  launcher_->WaitForOne(0);
  slurm_->WaitForSubmission(0);
  slurm_->Forget("100");
  AttemptResult ended = Ended();
  EXPECT_EQ(ended.status, "Failed");
  EXPECT_EQ(ended.failure_reason, "Slurm job 100 is no longer known to Slurm and its step wrote no result");
}

TEST_F(SlurmLauncherTest, AnSbatchErrorFailsTheAttemptWithItsMessage) {
  slurm_->SetSubmitError("sbatch failed (exit code 1): sbatch: error: invalid partition specified: ml");
  launcher_->Start(Task("Train"));
  AttemptResult ended = Ended();
  EXPECT_EQ(ended.status, "Failed");
  EXPECT_EQ(ended.failure_reason, "sbatch failed (exit code 1): sbatch: error: invalid partition specified: ml");
  EXPECT_NE(Log("Train").find("invalid partition specified"), std::string::npos);
  EXPECT_EQ(launcher_->FreeSlots(), 8);
}

TEST_F(SlurmLauncherTest, CancelIsScancelAndTheCancelledJobEndsStopped) {
  StepTask task = Task("Train");
  launcher_->Start(task);
  launcher_->WaitForOne(0);
  slurm_->WaitForSubmission(0);
  slurm_->Set("100", "RUNNING");
  launcher_->Cancel(task.id);
  EXPECT_EQ(slurm_->WaitForCancel(), std::vector<std::string>{"100"});
  AttemptResult ended = Ended();
  EXPECT_EQ(ended.status, "Stopped");
  EXPECT_EQ(ended.failure_reason, "stopped on request (Slurm job 100 cancelled)");
}

TEST_F(SlurmLauncherTest, ATaskCancelledBeforeItsSubmissionNeverReachesSlurm) {
  StepTask task = Task("Train");
  launcher_->Start(task);
  launcher_->Cancel(task.id);
  AttemptResult ended = Ended();
  EXPECT_EQ(ended.status, "Stopped");
  EXPECT_EQ(slurm_->Submissions(), 0u);
  EXPECT_EQ(launcher_->FreeSlots(), 8);
}

TEST_F(SlurmLauncherTest, TheItemsOfOneTemplateStartedInOneTurnAreOneJobArray) {
  std::vector<StepTask> items = {Task("Train[dim-a]"), Task("Train[dim-b]"), Task("Train[dim-c]")};
  for (const StepTask& t : items) launcher_->Start(t);
  launcher_->Start(Task("Report"));
  launcher_->WaitForOne(0);
  FakeSlurm::Submission array = slurm_->WaitForSubmission(0);
  FakeSlurm::Submission alone = slurm_->WaitForSubmission(1);
  EXPECT_TRUE(Has(array.args, "--array=0-2"));
  EXPECT_TRUE(Has(array.args, "--job-name=grove-exec00000001-Train-items"));
  EXPECT_FALSE(Has(alone.args, "--array=0-0"));
  EXPECT_TRUE(Has(alone.args, "--job-name=grove-exec00000001-Report"));
  // Task i runs item i's command line, and its output goes to item i's log through a link.
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_NE(array.script.find(std::to_string(i) + ") exec '/opt/grove/bin/grove' '--home' '/shared/grove' "
                                "'step-run' 'exec00000001' '" + items[i].step->name + "'"),
              std::string::npos)
        << array.script;
    fs::path link = work_.path() / "exec00000001" / "slurm" / "array-1" / (std::to_string(i) + ".log");
    EXPECT_EQ(fs::read_symlink(link), StepLogPath(work_.path(), "exec00000001", items[i].step->name));
  }
  EXPECT_TRUE(Has(array.args, "--output=" + (work_.path() / "exec00000001/slurm/array-1/%a.log").string()));
  EXPECT_NE(LogWith("Train[dim-b]", "submitted as Slurm job 100_1").find("submitted as Slurm job 100_1"),
            std::string::npos);

  // Each item is tracked and ends on its own.
  WriteResult(items[1], "sha256:b");
  AttemptResult first = Ended();
  EXPECT_EQ(first.task_id, items[1].id);
  slurm_->Set("100_0", "OUT_OF_MEMORY", "0:9");
  AttemptResult second = Ended();
  EXPECT_EQ(second.task_id, items[0].id);
  EXPECT_EQ(second.failure_reason.rfind("Slurm job 100_0 ended OUT_OF_MEMORY", 0), 0u) << second.failure_reason;
}

TEST_F(SlurmLauncherTest, ItemsOfTwoTemplatesAreSeparateJobs) {
  launcher_->Start(Task("Train[a]"));
  launcher_->Start(Task("Check[a]"));
  launcher_->WaitForOne(0);
  for (size_t i = 0; i < 2; ++i) {
    for (const std::string& arg : slurm_->WaitForSubmission(i).args) EXPECT_NE(arg.rfind("--array", 0), 0u) << arg;
  }
}

TEST_F(SlurmLauncherTest, TheStatesOfAllLiveJobsComeFromOneQuery) {
  for (const char* step : {"A", "B", "C[x]", "C[y]"}) launcher_->Start(Task(step));
  launcher_->WaitForOne(0);
  slurm_->WaitForSubmission(2);
  std::vector<std::string> all = {"100", "101", "102"};
  std::vector<std::vector<std::string>> queries;
  for (int i = 0; i < 1000 && (queries.empty() || queries.back().size() < 3); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    queries = slurm_->Queries();
  }
  ASSERT_FALSE(queries.empty());
  std::vector<std::string> last = queries.back();
  std::sort(last.begin(), last.end());
  EXPECT_EQ(last, all) << "one squeue for every live job, arrays by their array's id";
}

TEST_F(SlurmLauncherTest, WhenSlurmDoesNotAnswerJobsGoOnAndResultsStillCount) {
  slurm_->SetQueryDown(true);
  StepTask task = Task("Train");
  launcher_->Start(task);
  launcher_->WaitForOne(0);
  slurm_->WaitForSubmission(0);
  slurm_->Forget("100");
  EXPECT_FALSE(launcher_->WaitForOne(50).has_value()) << "an unanswered query fails nothing";
  WriteResult(task, "sha256:abc");
  EXPECT_EQ(Ended().status, "Succeeded");
}

TEST_F(SlurmLauncherTest, TheCpusOfAJobAreCappedByMaxCpus) {
  auto fake = std::make_unique<FakeSlurm>();
  FakeSlurm* slurm = fake.get();
  SlurmLauncher::Options options;
  options.work_dir = work_.path();
  options.max_cpus = 2;
  options.slots = 16;
  SlurmLauncher launcher(options, std::move(fake));
  launcher.Start(Task("Tune", 1, 6));
  launcher.WaitForOne(0);
  FakeSlurm::Submission job = slurm->WaitForSubmission(0);
  EXPECT_TRUE(Has(job.args, "--cpus-per-task=2"));
  EXPECT_NE(job.script.find("'--threads' '2'"), std::string::npos) << job.script;
  for (const std::string& arg : job.args) {
    EXPECT_NE(arg.rfind("--partition", 0), 0u) << "no partition given: the cluster's default";
    EXPECT_NE(arg.rfind("--mem", 0), 0u) << "no memory given: the cluster's default";
  }
  launcher.Cancel(1);
  slurm->WaitForCancel();
  launcher.WaitForOne(10'000);
}

}  // namespace
}  // namespace grove::pipeline
