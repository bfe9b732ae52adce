#include "pipeline/slurm_launcher.h"

#include <algorithm>
#include <set>

#include "common/file_util.h"
#include "pipeline/item_template.h"
#include "pipeline/slurm_script.h"

namespace grove::pipeline {

namespace fs = std::filesystem;

namespace {

// "123" of "123_4": the id squeue takes for every task of an array.
std::string BaseJobId(const std::string& job_id) { return job_id.substr(0, job_id.find('_')); }

}  // namespace

SlurmLauncher::SlurmLauncher(Options options, std::unique_ptr<SlurmCommands> slurm)
    : options_(std::move(options)), slurm_(std::move(slurm)), ended_(options_.slots) {
  poller_ = std::thread([this] { Poll(); });
}

SlurmLauncher::~SlurmLauncher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  poller_.join();
}

void SlurmLauncher::Start(StepTask task) {
  ended_.Take(task.slots);
  Job job;
  job.task_id = task.id;
  job.slots = task.slots;
  job.cpus = options_.max_cpus > 0 ? std::min(task.slots, options_.max_cpus) : task.slots;
  task.threads = job.cpus;  // The job's own CPUs, whatever the owner's machine has.
  job.execution = task.execution_id;
  job.step = task.step->name;
  if (auto [base, item] = SplitItemStepName(job.step); !item.empty()) job.group = task.execution_id + "/" + base;
  job.result_path = StepResultPath(options_.work_dir, task);
  job.log_path = StepLogPath(options_.work_dir, task.execution_id, task.step->name);
  job.argv = StepRunArgv(options_.command, task, job.result_path);
  std::lock_guard<std::mutex> lock(mu_);
  started_.push_back(std::move(job));
}

std::optional<AttemptResult> SlurmLauncher::WaitForOne(int timeout_ms) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_.empty()) {
      for (Job& job : started_) to_submit_.push_back(std::move(job));
      started_.clear();
      cv_.notify_all();
    }
  }
  return ended_.Pop(timeout_ms);
}

void SlurmLauncher::Cancel(uint64_t task_id) {
  std::optional<Job> unsubmitted;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (std::vector<Job>* queue : {&started_, &to_submit_}) {
      auto it = std::find_if(queue->begin(), queue->end(), [&](const Job& j) { return j.task_id == task_id; });
      if (it != queue->end()) {
        unsubmitted = std::move(*it);
        queue->erase(it);
      }
    }
    if (auto it = jobs_.find(task_id); it != jobs_.end()) {
      if (!it->second.cancel_requested) to_cancel_.push_back(it->second.job_id);
      it->second.cancel_requested = true;
      cv_.notify_all();
    } else if (submitting_.count(task_id) > 0) {
      cancel_when_submitted_.insert(task_id);
    }
  }
  if (unsubmitted) Fail(*unsubmitted, "stopped on request before its Slurm job was submitted", "Stopped");
}

void SlurmLauncher::Poll() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    auto has_work = [this] { return closing_ || !to_submit_.empty() || !to_cancel_.empty(); };
    if (jobs_.empty()) cv_.wait(lock, has_work);
    else cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), has_work);
    if (closing_) break;
    std::vector<Job> submit = std::move(to_submit_);
    to_submit_.clear();
    for (const Job& job : submit) submitting_.insert(job.task_id);
    std::vector<std::string> cancel = std::move(to_cancel_);
    to_cancel_.clear();
    lock.unlock();
    if (!submit.empty()) SubmitAll(std::move(submit));
    if (!cancel.empty()) CancelJobs(cancel);
    CollectResults();
    if (Clock::now() >= next_query_) {
      next_query_ = Clock::now() + std::chrono::milliseconds(options_.query_ms);
      QueryStates();
    }
    lock.lock();
  }
  // The executor ends every execution before its launcher goes; jobs still here were abandoned.
  std::vector<std::string> left;
  for (const auto& [id, job] : jobs_) left.push_back(job.job_id);
  lock.unlock();
  if (!left.empty()) (void)slurm_->Cancel(left);
}

void SlurmLauncher::SubmitAll(std::vector<Job> jobs) {
  for (std::vector<Job>& group : Grouped(std::move(jobs))) SubmitGroup(std::move(group));
}

std::vector<std::vector<SlurmLauncher::Job>> SlurmLauncher::Grouped(std::vector<Job> jobs) {
  std::vector<std::vector<Job>> groups;
  std::map<std::pair<std::string, int>, size_t> index;  // (group, cpus) -> its position in groups.
  for (Job& job : jobs) {
    if (job.group.empty()) {
      groups.emplace_back();
      groups.back().push_back(std::move(job));
      continue;
    }
    auto [it, added] = index.emplace(std::make_pair(job.group, job.cpus), groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(std::move(job));
  }
  return groups;
}

void SlurmLauncher::CancelJobs(const std::vector<std::string>& job_ids) {
  Status s = slurm_->Cancel(job_ids);
  if (s.ok()) return;
  std::vector<fs::path> logs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, job] : jobs_) {
      if (std::find(job_ids.begin(), job_ids.end(), job.job_id) != job_ids.end()) logs.push_back(job.log_path);
    }
  }
  for (const fs::path& log : logs) AppendLogLine(log, "cannot cancel: " + s.message());
}

std::vector<std::string> SlurmLauncher::SbatchArgs(const Job& first, const std::string& name,
                                                   const fs::path& output) const {
  std::vector<std::string> args = {"--job-name=" + name, "--cpus-per-task=" + std::to_string(first.cpus),
                                   "--output=" + output.string(), "--open-mode=append",
                                   // Grove's retry policy decides what runs again, not Slurm's requeue.
                                   "--no-requeue"};
  if (!options_.partition.empty()) args.push_back("--partition=" + options_.partition);
  if (options_.memory_mb > 0) args.push_back("--mem=" + std::to_string(options_.memory_mb) + "M");
  fs::path dir = options_.job_dir.empty() ? fs::current_path() : options_.job_dir;
  args.push_back("--chdir=" + dir.string());
  args.insert(args.end(), options_.sbatch_args.begin(), options_.sbatch_args.end());
  return args;
}

void SlurmLauncher::SubmitGroup(std::vector<Job> group) {
  const Job& first = group.front();
  const bool array = group.size() > 1;
  fs::path slurm_dir = options_.work_dir / first.execution / "slurm";
  std::string base = (array ? "array-" : "task-") + std::to_string(first.task_id);
  std::vector<std::vector<std::string>> commands;
  std::error_code ec;
  for (Job& job : group) {
    fs::create_directories(job.log_path.parent_path(), ec);
    fs::remove(job.result_path, ec);
    commands.push_back(job.argv);
  }
  fs::path output = first.log_path;
  std::string name = "grove-" + first.execution + "-" + first.step;
  std::string comment = "Grove: execution " + first.execution + ", step " + first.step;
  if (array) {
    // Each array task's output goes to its item's log, through a link named by the task's index.
    fs::path links = slurm_dir / base;
    fs::create_directories(links, ec);
    for (size_t i = 0; i < group.size(); ++i) {
      fs::path link = links / (std::to_string(i) + ".log");
      fs::remove(link, ec);
      fs::create_symlink(group[i].log_path, link, ec);
    }
    output = links / "%a.log";
    std::string items = first.group.substr(first.group.find('/') + 1);
    name = "grove-" + first.execution + "-" + items + "-items";
    comment = "Grove: execution " + first.execution + ", " + std::to_string(group.size()) + " items of " + items +
              ", one per array task";
  }
  fs::path script = slurm_dir / (base + ".sh");
  std::vector<std::string> args = SbatchArgs(first, name, output);
  if (array) args.push_back("--array=0-" + std::to_string(group.size() - 1));
  Status written = MakeDirs(slurm_dir);
  if (written.ok()) written = WriteFile(script, SlurmJobScript(commands, comment));  // sbatch copies it.
  Result<std::string> submitted = written.ok() ? slurm_->Submit(args, script) : Result<std::string>(written);
  if (!submitted.ok()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const Job& job : group) {
        submitting_.erase(job.task_id);
        cancel_when_submitted_.erase(job.task_id);
      }
    }
    for (const Job& job : group) Fail(job, submitted.status().message());
    return;
  }
  std::string cpus = std::to_string(first.cpus) + (first.cpus == 1 ? " CPU" : " CPUs");
  for (size_t i = 0; i < group.size(); ++i) {
    Job& job = group[i];
    job.job_id = array ? *submitted + "_" + std::to_string(i) : *submitted;
    AppendLogLine(job.log_path, "submitted as Slurm job " + job.job_id + " (" + name + ", " + cpus +
                                  (options_.partition.empty() ? "" : ", partition " + options_.partition) + ")");
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (Job& job : group) {
    submitting_.erase(job.task_id);
    if (cancel_when_submitted_.erase(job.task_id) > 0) {
      job.cancel_requested = true;
      to_cancel_.push_back(job.job_id);
    }
    jobs_[job.task_id] = std::move(job);
  }
}

void SlurmLauncher::CollectResults() {
  std::vector<std::pair<uint64_t, fs::path>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, job] : jobs_) {
      if (!job.stopped_by_slurm) live.emplace_back(id, job.result_path);
    }
  }
  std::vector<std::pair<uint64_t, AttemptResult>> results;
  for (const auto& [id, path] : live) {
    std::error_code ec;
    if (!fs::exists(path, ec)) continue;
    auto result = ReadStepResult(path, id);
    if (!result.ok()) {
      AttemptResult failed;
      failed.task_id = id;
      failed.failure_reason = result.status().message();
      result = std::move(failed);
    }
    results.emplace_back(id, std::move(*result));
  }
  if (results.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, result] : results) {
    auto it = jobs_.find(id);
    if (it == jobs_.end()) continue;
    if (result.status == "Stopped" && !it->second.cancel_requested) {
      it->second.stopped_by_slurm = true;
      next_query_ = Clock::now();  // Ask Slurm why now.
      continue;
    }
    ended_.Push(std::move(result), it->second.slots);
    jobs_.erase(it);
  }
}

void SlurmLauncher::QueryStates() {
  struct Live {
    uint64_t task_id;
    std::string job_id;
    fs::path result_path;
    bool stopped_by_slurm;
  };
  std::vector<Live> live;
  std::set<std::string> ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, job] : jobs_) {
      live.push_back({id, job.job_id, job.result_path, job.stopped_by_slurm});
      ids.insert(BaseJobId(job.job_id));
    }
  }
  if (ids.empty()) return;
  auto states = slurm_->Query({ids.begin(), ids.end()});
  if (!states.ok()) return;  // Slurm is busy or down: result files still count; ask again later.
  std::map<std::string, SlurmJobState> by_id;
  for (SlurmJobState& state : *states) by_id[state.id] = std::move(state);
  std::map<uint64_t, SlurmJobState> ended;
  for (const Live& job : live) {
    auto it = by_id.find(job.job_id);
    if (it != by_id.end() && !SlurmJobEnded(it->second.state)) continue;
    std::error_code ec;
    if (!job.stopped_by_slurm && fs::exists(job.result_path, ec)) continue;  // CollectResults takes it.
    // Slurm says it ended, or has forgotten it: ask why (its exit code).
    auto shown = slurm_->Show(job.job_id);
    if (!shown.ok() && shown.status().code() != StatusCode::kNotFound) continue;  // Ask again later.
    if (shown.ok() && !SlurmJobEnded(shown->state)) continue;
    ended[job.task_id] = shown.ok() ? *shown : SlurmJobState{job.job_id, "", "", ""};
  }
  if (ended.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto now = Clock::now();
  for (auto& [id, state] : ended) {
    auto it = jobs_.find(id);
    if (it == jobs_.end()) continue;
    std::optional<AttemptResult> result = EndedWithoutResult(it->second, state, now);
    if (!result) continue;
    ended_.Push(std::move(*result), it->second.slots);
    jobs_.erase(it);
  }
}

std::optional<AttemptResult> SlurmLauncher::EndedWithoutResult(Job& job, const SlurmJobState& state,
                                                               Clock::time_point now) {
  if (!job.stopped_by_slurm) {
    // Give the result file time to show through a shared filesystem's caches.
    if (job.ended_seen == Clock::time_point{}) job.ended_seen = now;
    if (now - job.ended_seen < std::chrono::milliseconds(options_.result_grace_ms)) return std::nullopt;
    std::error_code ec;
    if (fs::exists(job.result_path, ec)) return std::nullopt;  // CollectResults takes it.
  }
  AttemptResult result;
  result.task_id = job.task_id;
  if (job.cancel_requested) {
    result.status = "Stopped";
    result.failure_reason = "stopped on request (Slurm job " + job.job_id + " cancelled)";
  } else if (job.stopped_by_slurm && (state.state.empty() || state.state == "COMPLETED")) {
    result.failure_reason = "Slurm job " + job.job_id + ": the step was stopped by a signal from outside Grove";
  } else if (state.state.empty()) {
    result.failure_reason = "Slurm job " + job.job_id + " is no longer known to Slurm and its step wrote no result";
  } else {
    result.failure_reason = SlurmEndReason(state);
  }
  AppendLogLine(job.log_path, result.failure_reason);
  return result;
}

void SlurmLauncher::Fail(const Job& job, const std::string& reason, const std::string& status) {
  AppendLogLine(job.log_path, reason);
  AttemptResult result;
  result.task_id = job.task_id;
  result.status = status;
  result.failure_reason = reason;
  ended_.Push(std::move(result), job.slots);
}

}  // namespace grove::pipeline
