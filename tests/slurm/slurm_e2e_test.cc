// End to end on a real one-node Slurm cluster (tests/slurm/slurm_cluster.sh,
// started by CTest's slurm_cluster fixture, SLURM_CONF naming it): pipelines
// run with `--executor slurm` end with the same record as in-process, every
// step as a Slurm job; stop cancels jobs; a job Slurm kills fails its attempt
// with Slurm's reason and is retried.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "common/child_process.h"
#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;

// `scontrol show job ID`'s fields, or an empty object.
Json SlurmJob(const std::string& job_id) {
  auto r = RunChildProcess({"scontrol", "--oneliner", "show", "job", job_id});
  Json fields = Json::object();
  if (!r.ok() || r->exit_code != 0) return fields;
  std::istringstream in(r->out);
  std::string field;
  while (in >> field) {
    size_t eq = field.find('=');
    if (eq != std::string::npos) fields[field.substr(0, eq)] = field.substr(eq + 1);
  }
  return fields;
}

class SlurmE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sinfo = RunChildProcess({"sinfo", "--noheader", "--format=%T"});
    ASSERT_TRUE(sinfo.ok()) << "Slurm's commands are missing (" << sinfo.status().message()
                            << "): run scripts/setup.sh, which installs Debian's slurm-wlm and munge";
    const char* conf = std::getenv("SLURM_CONF");
    ASSERT_TRUE(conf != nullptr && fs::exists(conf))
        << "SLURM_CONF names no cluster: run these tests with ctest (its slurm_cluster fixture starts one), or "
           "start one with tests/slurm/slurm_cluster.sh start DIR and set SLURM_CONF=DIR/slurm.conf";
    ASSERT_EQ(sinfo->exit_code, 0) << sinfo->err;
  }

  CommandResult Grove(const std::vector<std::string>& args) { return RunGrove(home_.path(), args); }

  std::string Log(const std::string& execution, const std::string& step) {
    return Grove({"execution", "logs", execution, step}).out;
  }

  // The Slurm job ids a step's log says its attempts ran as ("123" or "123_4").
  std::vector<std::string> JobIds(const std::string& log) {
    std::vector<std::string> ids;
    static const std::regex ran("grove: Slurm job ([0-9_]+) on ");
    for (std::sregex_iterator it(log.begin(), log.end(), ran), end; it != end; ++it) ids.push_back((*it)[1]);
    return ids;
  }

  // Every step of the execution ran as a Slurm job of its own name, which completed.
  void ExpectEveryStepWasASlurmJob(const std::string& execution, const Json& steps) {
    for (const auto& [name, step] : steps.items()) {
      std::string log = Log(execution, name);
      std::vector<std::string> ids = JobIds(log);
      ASSERT_EQ(ids.size(), 1u) << name << " did not run as one Slurm job:\n" << log;
      EXPECT_NE(log.find("submitted as Slurm job " + ids[0]), std::string::npos) << log;
      Json job = SlurmJob(ids[0]);
      EXPECT_EQ(job.value("JobState", ""), "COMPLETED") << name << ": " << job.dump();
      const bool item = ids[0].find('_') != std::string::npos;
      if (!item) {
        EXPECT_EQ(job.value("JobName", ""), "grove-" + execution + "-" + name);
      }
    }
  }

  // The record of an execution run in-process on a data folder of its own, and on Slurm here:
  // the same steps with the same statuses, outputs and cache keys.
  std::string RunBothAndCompare(const std::vector<std::string>& run_args,
                                const std::vector<std::string>& slurm_args = {}) {
    TempDir local;
    std::vector<std::string> args = {"run"};
    args.insert(args.end(), run_args.begin(), run_args.end());
    args.push_back("--json");
    auto in_process = RunGrove(local.path(), args);
    EXPECT_EQ(in_process.exit_code, 0) << in_process.out << in_process.err;
    args.insert(args.end(), {"--executor", "slurm"});
    args.insert(args.end(), slurm_args.begin(), slurm_args.end());
    auto slurm = Grove(args);
    EXPECT_EQ(slurm.exit_code, 0) << slurm.out << slurm.err;
    if (in_process.exit_code != 0 || slurm.exit_code != 0) return "";
    EXPECT_EQ(slurm.json()["status"], in_process.json()["status"]);
    Json a = StepsByName(local.path(), in_process.json()["id"]);
    Json b = StepsByName(home_.path(), slurm.json()["id"]);
    std::vector<std::string> names_a, names_b;
    for (const auto& [name, step] : a.items()) names_a.push_back(name);
    for (const auto& [name, step] : b.items()) names_b.push_back(name);
    std::sort(names_a.begin(), names_a.end());
    std::sort(names_b.begin(), names_b.end());
    EXPECT_EQ(names_b, names_a);
    for (const auto& [name, step] : a.items()) {
      EXPECT_EQ(b[name]["status"], step["status"]) << name;
      EXPECT_EQ(b[name]["outputs"], step["outputs"]) << name;
      EXPECT_EQ(b[name]["cache_key"], step["cache_key"]) << name;
      EXPECT_EQ(b[name]["attempts"], step["attempts"]) << name;
    }
    return slurm.json()["id"];
  }

  TempDir home_;
};

TEST_F(SlurmE2ETest, AbaloneRunsEveryStepAsASlurmJobWithTheSameRecordAsInProcess) {
  std::string id = RunBothAndCompare({"examples/abalone.yaml"}, {"--slurm-partition", "ml"});
  ASSERT_FALSE(id.empty());
  Json steps = StepsByName(home_.path(), id);
  EXPECT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps["RegisterAbaloneModel"]["metadata"]["model_version"]["version"], 1);
  ExpectEveryStepWasASlurmJob(id, steps);
  EXPECT_EQ(SlurmJob(JobIds(Log(id, "AbaloneTrain"))[0]).value("Partition", ""), "ml");
}

TEST_F(SlurmE2ETest, ForEachItemsStartedTogetherRunAsOneJobArray) {
  fs::path data = home_.path() / "fleet";
  auto made = Grove({"datasets", "make-fleet", "--dims", "3", "--rows", "500", "--out", data.string()});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string id = RunBothAndCompare({"examples/fleet.yaml", "-p", "InputData=" + (data / "fleet.csv").string()});
  ASSERT_FALSE(id.empty());
  Json steps = StepsByName(home_.path(), id);
  EXPECT_EQ(steps.size(), 28u);  // PerDimension and 9 steps for each of 3 dimensions.
  ExpectEveryStepWasASlurmJob(id, steps);
  // The three Prepare items became ready together: one array, one task each.
  std::set<std::string> arrays, tasks;
  for (const char* dim : {"DummyDim1", "DummyDim2", "DummyDim3"}) {
    std::string job = JobIds(Log(id, std::string("Prepare[") + dim + "]")).at(0);
    ASSERT_NE(job.find('_'), std::string::npos) << "Prepare[" << dim << "] ran as job " << job << ", not an array task";
    arrays.insert(job.substr(0, job.find('_')));
    tasks.insert(job);
    EXPECT_EQ(SlurmJob(job).value("JobName", ""), "grove-" + id + "-Prepare-items");
  }
  EXPECT_EQ(arrays.size(), 1u);
  EXPECT_EQ(tasks.size(), 3u);
}

TEST_F(SlurmE2ETest, StopCancelsTheRunningJobAndTheExecutionEndsStopped) {
  fs::path def = home_.path() / "slow.yaml";
  ASSERT_TRUE(WriteFile(def, R"(
pipeline: slow
steps:
  - {name: Slow, type: Processing, arguments: {command: [sh, -c, "sleep 120"], outputs: [out]}}
)")
                  .ok());
  fs::path out = home_.path() / "run.out";
  int pid = StartGrove(home_.path(), {"run", def.string(), "--executor", "slurm"}, out);
  std::string id, job;
  for (int i = 0; i < 600 && job.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::smatch m;
    std::string text = ReadFile(out).ok() ? *ReadFile(out) : "";
    if (id.empty() && std::regex_search(text, m, std::regex("execution ([a-z0-9]{12})"))) id = m[1];
    if (!id.empty() && !JobIds(Log(id, "Slow")).empty()) job = JobIds(Log(id, "Slow"))[0];
  }
  ASSERT_FALSE(job.empty()) << "the step's job did not start within 30 s";
  EXPECT_EQ(SlurmJob(job).value("JobState", ""), "RUNNING");
  auto stop = Grove({"execution", "stop", id});
  ASSERT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_EQ(WaitGrove(pid), 4);  // Stopped (cli/output.h kExitStopped).
  Json steps = StepsByName(home_.path(), id);
  EXPECT_EQ(steps["Slow"]["status"], "Stopped");
  auto shown = Grove({"execution", "show", id, "--json"});
  EXPECT_EQ(shown.json()["status"], "Stopped") << shown.out;
  EXPECT_EQ(SlurmJob(job).value("JobState", ""), "CANCELLED");
}

// The step's first attempt has its own job cancelled, as an administrator's
// scancel (or Slurm's time limit or preemption) would: Slurm's reason fails the
// attempt and the retry policy runs it again.
TEST_F(SlurmE2ETest, AJobSlurmEndsFailsItsAttemptWithSlurmsReasonAndIsRetried) {
  fs::path marker = home_.path() / "cancelled-once";
  fs::path def = home_.path() / "cancelled.yaml";
  ASSERT_TRUE(WriteFile(def, R"(
pipeline: cancelled
steps:
  - name: Flaky
    type: Processing
    retry: {max_attempts: 2, interval_seconds: 0}
    arguments:
      command: [sh, -c, 'if [ ! -e )" + marker.string() + R"( ]; then touch )" + marker.string() +
                                R"(; scancel "$SLURM_JOB_ID"; sleep 60; fi; mkdir -p "$GROVE_OUTPUT_OUT"; echo ok > "$GROVE_OUTPUT_OUT/x"']
      outputs: [out]
)")
                  .ok());
  auto r = Grove({"run", def.string(), "--executor", "slurm", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  Json steps = StepsByName(home_.path(), r.json()["id"]);
  EXPECT_EQ(steps["Flaky"]["status"], "Succeeded");
  EXPECT_EQ(steps["Flaky"]["attempts"], 2);
  std::string log = Log(r.json()["id"], "Flaky");
  std::vector<std::string> jobs = JobIds(log);
  ASSERT_EQ(jobs.size(), 2u) << log;
  EXPECT_NE(log.find("attempt 1 failed: Slurm job " + jobs[0] + " ended CANCELLED"), std::string::npos) << log;
  EXPECT_EQ(SlurmJob(jobs[0]).value("JobState", ""), "CANCELLED");
  EXPECT_EQ(SlurmJob(jobs[1]).value("JobState", ""), "COMPLETED");
}

TEST_F(SlurmE2ETest, AnUnknownPartitionFailsTheStepWithSbatchsMessage) {
  fs::path def = home_.path() / "one.yaml";
  ASSERT_TRUE(WriteFile(def, R"(
pipeline: one
steps:
  - {name: One, type: Processing, arguments: {command: ["true"], outputs: [out]}}
)")
                  .ok());
  auto r = Grove({"run", def.string(), "--executor", "slurm", "--slurm-partition", "no-such-partition", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.json()["status"], "Failed");
  EXPECT_NE(r.json()["failure_reason"].get<std::string>().find("invalid partition specified: no-such-partition"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace grove::testing
