#include "pipeline/slurm_cli.h"

#include <sstream>

namespace grove::pipeline {

namespace {

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
  size_t start = text.find_first_not_of(" \n");
  return start == std::string::npos ? "" : text.substr(start);
}

// "sbatch failed (exit code 1): sbatch: error: invalid partition specified: nope".
Status CommandFailed(const std::string& command, const ChildOutput& output) {
  std::string message = Trimmed(output.err.empty() ? output.out : output.err);
  return Status::FailedPrecondition(command + " failed (exit code " + std::to_string(output.exit_code) + ")" +
                                    (message.empty() ? "" : ": " + message));
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string joined;
  for (const std::string& id : ids) joined += (joined.empty() ? "" : ",") + id;
  return joined;
}

}  // namespace

Result<std::string> ParseSbatchJobId(const std::string& out) {
  std::string id = Trimmed(out);
  id = id.substr(0, id.find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Internal("sbatch printed no job id: '" + Trimmed(out) + "'");
  }
  return id;
}

std::vector<SlurmJobState> ParseSqueue(const std::string& out) {
  std::vector<SlurmJobState> states;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    line = Trimmed(line);
    size_t first = line.find('|');
    if (first == std::string::npos) continue;
    size_t second = line.find('|', first + 1);
    SlurmJobState state;
    state.id = line.substr(0, first);
    state.state = line.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    if (second != std::string::npos) state.reason = line.substr(second + 1);
    states.push_back(std::move(state));
  }
  return states;
}

SlurmJobState ParseScontrolJob(const std::string& out) {
  SlurmJobState state;
  std::string array_job, array_task;
  std::istringstream fields(out);
  std::string field;
  while (fields >> field) {
    size_t eq = field.find('=');
    if (eq == std::string::npos) continue;
    std::string key = field.substr(0, eq), value = field.substr(eq + 1);
    if (key == "JobId") state.id = value;
    else if (key == "ArrayJobId") array_job = value;
    else if (key == "ArrayTaskId") array_task = value;
    else if (key == "JobState") state.state = value;
    else if (key == "Reason") state.reason = value;
    else if (key == "ExitCode") state.exit_code = value;
  }
  // An array task is known by its array's id and its index, as squeue shows it.
  if (!array_job.empty() && !array_task.empty()) state.id = array_job + "_" + array_task;
  return state;
}

Result<std::string> SlurmCli::Submit(const std::vector<std::string>& args, const std::filesystem::path& script) {
  std::vector<std::string> argv = {"sbatch", "--parsable"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(script.string());
  ASSIGN_OR_RETURN(ChildOutput output, run_(argv));
  if (output.exit_code != 0) return CommandFailed("sbatch", output);
  return ParseSbatchJobId(output.out);
}

Result<std::vector<SlurmJobState>> SlurmCli::Query(const std::vector<std::string>& job_ids) {
  if (job_ids.empty()) return std::vector<SlurmJobState>{};
  ASSIGN_OR_RETURN(ChildOutput output,
                   run_({"squeue", "--noheader", "--array", "--states=all", "--jobs=" + JoinIds(job_ids),
                         "--format=%i|%T|%r"}));
  // squeue fails when none of the jobs is known any more: then it knows none of them.
  if (output.exit_code != 0 && output.err.find("Invalid job id") != std::string::npos) {
    return std::vector<SlurmJobState>{};
  }
  if (output.exit_code != 0) return CommandFailed("squeue", output);
  return ParseSqueue(output.out);
}

Result<SlurmJobState> SlurmCli::Show(const std::string& job_id) {
  ASSIGN_OR_RETURN(ChildOutput output, run_({"scontrol", "--oneliner", "show", "job", job_id}));
  if (output.exit_code != 0 && output.err.find("Invalid job id") != std::string::npos) {
    return Status::NotFound("Slurm no longer knows job " + job_id);
  }
  if (output.exit_code != 0) return CommandFailed("scontrol show job " + job_id, output);
  return ParseScontrolJob(output.out);
}

Status SlurmCli::Cancel(const std::vector<std::string>& job_ids) {
  if (job_ids.empty()) return Status::OK();
  std::vector<std::string> argv = {"scancel"};
  argv.insert(argv.end(), job_ids.begin(), job_ids.end());
  ASSIGN_OR_RETURN(ChildOutput output, run_(argv));
  if (output.exit_code != 0) return CommandFailed("scancel", output);
  return Status::OK();
}

}  // namespace grove::pipeline
