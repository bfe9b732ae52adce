#include "cli/execution_wait.h"

#include <cctype>
#include <iostream>

#include "app/record_json.h"
#include "cli/output.h"
#include "common/clock.h"

namespace grove::cli {

using std::chrono::milliseconds;

bool IsRunning(const Json& execution) {
  return execution["status"] == store::kExecuting || execution["status"] == store::kStopping;
}

Result<milliseconds> ParseTimeout(const std::string& text, std::string_view flag) {
  auto bad = [&] {
    return Status::InvalidArgument(std::string(flag) + " '" + text + "': expected a duration above 0 such as 90s, 30m, 2h, "
                                   "1h30m, 500ms or PT30M");
  };
  if (!text.empty() && text[0] == 'P') {
    ASSIGN_OR_RETURN(TimeMs ms, ParseIsoDuration(text));
    if (ms <= 0) return bad();
    return milliseconds(ms);
  }
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t digits = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == digits || i - digits > 9) return bad();
    int64_t n = std::stoll(text.substr(digits, i - digits));
    size_t unit = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string u = text.substr(unit, i - unit);
    if (u == "ms") total += n;
    else if (u == "s") total += n * 1000;
    else if (u == "m") total += n * 60'000;
    else if (u == "h") total += n * 3'600'000;
    else return bad();
  }
  if (total <= 0) return bad();
  return milliseconds(total);
}

std::string FormatTimeout(milliseconds timeout) {
  int64_t ms = timeout.count();
  std::string out;
  for (auto [unit, size] : {std::pair<const char*, int64_t>{"h", 3'600'000}, {"m", 60'000}, {"s", 1000}, {"ms", 1}}) {
    if (ms >= size) {
      out += std::to_string(ms / size) + unit;
      ms %= size;
    }
  }
  return out.empty() ? "0s" : out;
}

int ExecutionExitCode(const Json& execution, const Json& steps) {
  const std::string status = execution.value("status", "");
  if (status == store::kSucceeded) return kExitOk;
  if (status == store::kStopped) return kExitStopped;
  const std::string reason = execution.value("failure_reason", "");
  for (const Json& step : steps) {
    if (step.value("type", "") == "Fail" && step.value("status", "") == store::kFailed &&
        step.value("failure_reason", "") == reason) {
      return kExitConditionNotMet;
    }
  }
  return kExitFailed;
}

Result<std::optional<Json>> FollowExecution(Client& client, const std::string& id, milliseconds timeout) {
  RETURN_IF_ERROR(client.Watch(id));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    ASSIGN_OR_RETURN(Json execution, client.DescribeExecution(id));
    if (!IsRunning(execution)) return std::optional<Json>(std::move(execution));
    if (timeout.count() <= 0) {
      RETURN_IF_ERROR(client.WaitForChange());
      continue;
    }
    auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::optional<Json>();
    RETURN_IF_ERROR(client.WaitForChangeWithin(left));
  }
}

void PrintExecution(const Json& e) {
  std::cout << "execution   " << e["id"].get<std::string>() << "\npipeline    " << e["pipeline"].get<std::string>()
            << " v" << e["version"].dump() << "\nstatus      " << e["status"].get<std::string>() << "\nstarted     "
            << FormatTime(e["started_at"]) << "\nduration    " << FormatDuration(e["duration_ms"])
            << "\nparameters  " << e["parameters"].dump() << "\n";
  if (!e["failure_reason"].get<std::string>().empty()) {
    std::cout << "reason      " << e["failure_reason"].get<std::string>() << "\n";
  }
}

int WaitAndReport(const GlobalOptions& global, Client& client, const std::string& id, milliseconds timeout,
                  bool runs_here) {
  auto ended = FollowExecution(client, id, timeout);
  if (!ended.ok()) return ReportError(ended.status());
  if (!ended->has_value()) {
    std::cerr << "error: timed out after " << FormatTimeout(timeout) << " waiting for execution " << id
              << (runs_here ? "; stopping it (it runs in this command's process)"
                            : "; it keeps running (grove execution wait " + id + " waits again)")
              << std::endl;
    return kExitTimedOut;
  }
  const Json& e = **ended;
  auto steps = client.ExecutionSteps(id);
  if (!steps.ok()) return ReportError(steps.status());
  if (global.json) {
    PrintJson(std::cout, e);
  } else {
    PrintExecution(e);
  }
  return ExecutionExitCode(e, *steps);
}

Deadline::Deadline(milliseconds timeout, std::function<void()> expire) {
  if (timeout.count() <= 0) return;
  thread_ = std::thread([this, timeout, expire = std::move(expire)] {
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, timeout, [this] { return done_; })) return;
    expired_ = true;
    lock.unlock();
    expire();
  });
}

Deadline::~Deadline() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Deadline::expired() const {
  std::lock_guard<std::mutex> lock(mu_);
  return expired_;
}

Result<EndedHere> WaitHere(app::Executions& executions, const std::string& id, milliseconds timeout) {
  bool expired = false;
  Result<store::ExecutionRecord> record = Status::Internal("not waited");
  {
    Deadline deadline(timeout, [&executions, &id] { (void)executions.Stop(id); });
    record = executions.Wait(id);
    expired = deadline.expired();
  }
  if (!record.ok()) return record.status();
  if (expired && record->status == store::kStopped) {
    std::cerr << "error: timed out after " << FormatTimeout(timeout) << ": execution " << id
              << " was stopped (it ran in this command's process)" << std::endl;
    return EndedHere{std::move(*record), kExitTimedOut};
  }
  ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> steps, executions.Steps(id));
  int code = ExecutionExitCode(app::ToJson(*record), app::ToJsonArray(steps));
  return EndedHere{std::move(*record), code};
}

}  // namespace grove::cli
