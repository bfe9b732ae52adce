// grove queue enqueue|list|show|replay|work: the durable inference queue
// (app/inference_queue.h). `work` runs workers in this process (no server).
#include <CLI/CLI.hpp>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "app/inference_queue.h"
#include "cli/bind.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

struct QueueArgs {
  std::string file;
  std::string dimension;
  std::string endpoint = "fleet";
  std::string model;
  std::string ground_truth_column;
  int max_attempts = 2;
  std::string state;
  int limit = 0;
  int64_t id = 0;
  bool all_dead = false;
  int workers = 2;
  int batch = 512;
  int64_t visibility_ms = 30'000;
  bool until_empty = false;
};

Result<std::unique_ptr<Client>> Open(const GlobalOptions& global) { return OpenClient(global); }

int Print(const GlobalOptions& global, const Result<Json>& result, const std::function<void(const Json&)>& text) {
  if (!result.ok()) return ReportError(result.status());
  if (global.json) {
    PrintJson(std::cout, *result);
  } else {
    text(*result);
  }
  return kExitOk;
}

int Enqueue(const GlobalOptions& global, const QueueArgs& args) {
  auto client = Open(global);
  if (!client.ok()) return ReportError(client.status());
  Json target = {{"dimension", args.dimension}, {"endpoint", args.endpoint}, {"max_attempts", args.max_attempts}};
  if (!args.model.empty()) target["model"] = args.model;
  if (!args.ground_truth_column.empty()) target["ground_truth_column"] = args.ground_truth_column;
  return Print(global, (*client)->EnqueueFile(args.file, target), [&](const Json& r) {
    int n = r["enqueued"];
    if (n == 0) {
      std::cout << args.file << " was enqueued before: nothing added\n";
    } else {
      std::cout << "enqueued " << n << " row(s) of " << args.file << " for " << args.dimension << "\n";
    }
  });
}

void PrintMessages(const Json& messages) {
  std::vector<std::vector<std::string>> rows;
  for (const Json& m : messages) {
    rows.push_back({m["id"].dump(), m["state"], m["dimension"],
                    m["source_file"].get<std::string>() + ":" + m["row_number"].dump(),
                    m["attempts"].dump() + "/" + m["max_attempts"].dump(), m["deliveries"].dump(), m["last_error"]});
  }
  PrintTable(std::cout, {"ID", "STATE", "DIMENSION", "ROW", "ATTEMPTS", "DELIVERIES", "LAST ERROR"}, rows);
}

int List(const GlobalOptions& global, const QueueArgs& args) {
  auto client = Open(global);
  if (!client.ok()) return ReportError(client.status());
  if (!args.state.empty()) {
    return Print(global, (*client)->ListQueueMessages(args.state, args.limit), PrintMessages);
  }
  return Print(global, (*client)->QueueSummary(), [](const Json& summary) {
    const Json& counts = summary["counts"];
    std::cout << "queued " << counts["queued"].dump() << ", done " << counts["done"].dump() << ", dead "
              << counts["dead"].dump() << "\n";
    if (!summary["dead_letters"].empty()) {
      std::cout << "\ndead letters (grove queue replay ID|--all-dead)\n";
      PrintMessages(summary["dead_letters"]);
    }
  });
}

int Show(const GlobalOptions& global, const QueueArgs& args) {
  auto client = Open(global);
  if (!client.ok()) return ReportError(client.status());
  return Print(global, (*client)->ShowQueueMessage(args.id), [](const Json& m) {
    std::cout << "message     " << m["id"].dump() << " (" << m["state"].get<std::string>() << ")\n"
              << "dimension   " << m["dimension"].get<std::string>() << " -> " << m["endpoint"].get<std::string>()
              << " / " << m["model"].get<std::string>() << "\nrow         " << m["source_file"].get<std::string>()
              << ":" << m["row_number"].dump() << "\nattempts    " << m["attempts"].dump() << " of "
              << m["max_attempts"].dump() << " (" << m["deliveries"].dump() << " deliveries)\n"
              << "visible at  " << FormatTime(m["visible_at"]) << "\n";
    if (!m["last_error"].get<std::string>().empty()) {
      std::cout << "last error  " << m["last_error"].get<std::string>() << "\n";
    }
    if (m.contains("prediction")) {
      const Json& p = m["prediction"];
      std::cout << "prediction  " << p["prediction"].dump() << " (probability " << p["probability"].dump()
                << ", ground truth " << p["ground_truth"].dump() << ", by " << p["model"].get<std::string>()
                << ", record " << p["id"].get<std::string>() << ")\n";
    }
  });
}

int Replay(const GlobalOptions& global, const QueueArgs& args) {
  if ((args.id > 0) == args.all_dead) {
    return ReportError(Status::InvalidArgument("give a dead message's ID or --all-dead (one of them)"));
  }
  auto client = Open(global);
  if (!client.ok()) return ReportError(client.status());
  return Print(global, (*client)->ReplayQueue(args.id, args.all_dead), [](const Json& r) {
    std::cout << "replayed " << r["replayed"].dump() << " dead message(s)\n";
  });
}

// Workers in this process until SIGINT/SIGTERM, or until nothing is queued with --until-empty.
int Work(const GlobalOptions& global, const QueueArgs& args) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto service = (*home)->Endpoints();
  if (!service.ok()) return ReportError(service.status());
  events::QueueWorkerOptions options;
  options.workers = args.workers;
  options.batch = args.batch;
  options.visibility_ms = args.visibility_ms;
  app::RunningQueue queue(**home, **service, options);
  queue.workers().Start([](const Status& s) { std::cerr << "warning: inference queue: " << s.ToString() << "\n"; });
  std::cout << "queue workers: " << args.workers << " (batch " << args.batch << ")" << std::endl;
  app::InferenceQueue inspect(**home);
  while (true) {
    timespec wait{0, 100'000'000};
    if (sigtimedwait(&stop_signals, nullptr, &wait) > 0) break;
    if (!args.until_empty) continue;
    Result<Json> summary = inspect.Summary();
    if (summary.ok() && (*summary)["counts"]["queued"] == 0) break;
  }
  queue.workers().Stop();
  auto summary = inspect.Summary();
  if (!summary.ok()) return ReportError(summary.status());
  std::cout << "stopped: queued " << (*summary)["counts"]["queued"].dump() << ", done "
            << (*summary)["counts"]["done"].dump() << ", dead " << (*summary)["counts"]["dead"].dump() << std::endl;
  return kExitOk;
}

}  // namespace

void AddQueueCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<QueueArgs>();
  CLI::App* cmd = app.add_subcommand("queue", "The inference queue: enqueue files, inspect, replay dead letters, work");
  cmd->require_subcommand(1);
  CLI::App* enqueue = cmd->add_subcommand("enqueue", "Enqueue every row of a CSV file (once per file and content)");
  enqueue->add_option("file", args->file, "A CSV file: a header, then rows")->required();
  enqueue->add_option("--dim", args->dimension, "The dimension the rows belong to")->required();
  enqueue->add_option("--endpoint", args->endpoint, "The endpoint to invoke (default fleet)");
  enqueue->add_option("--model", args->model, "The model on it (default <dim>-model-registry)");
  enqueue->add_option("--ground-truth-column", args->ground_truth_column,
                      "The column with the ground truth (default: the first, when rows have one more value than "
                      "the model takes)");
  enqueue->add_option("--max-attempts", args->max_attempts, "Failed attempts before a row is dead-lettered (default 2)")
      ->check(CLI::Range(1, 1000));
  Bind(enqueue, global, action, args, Enqueue);
  CLI::App* list = cmd->add_subcommand("list", "Counts by state and dead letters; or messages in one --state");
  list->add_option("--state", args->state, "queued, done or dead: list those messages")
      ->check(CLI::IsMember({"queued", "done", "dead"}));
  list->add_option("--limit", args->limit, "At most this many messages (default: all)");
  Bind(list, global, action, args, List);
  CLI::App* show = cmd->add_subcommand("show", "Show one message and its prediction");
  show->add_option("id", args->id, "Message ID")->required();
  Bind(show, global, action, args, Show);
  CLI::App* replay = cmd->add_subcommand("replay", "Put dead letters back in the queue");
  replay->add_option("id", args->id, "A dead message's ID");
  replay->add_flag("--all-dead", args->all_dead, "Every dead message");
  Bind(replay, global, action, args, Replay);
  CLI::App* work = cmd->add_subcommand("work", "Run queue workers in this process (on the data folder)");
  work->add_option("--workers", args->workers, "Worker threads (default 2)")->check(CLI::Range(1, 64));
  work->add_option("--batch", args->batch, "Messages per lease and transaction (default 512)")
      ->check(CLI::Range(1, 100000));
  work->add_option("--visibility-ms", args->visibility_ms,
                   "How long a lease hides its messages, ms (default 30000)")
      ->check(CLI::Range(int64_t{100}, int64_t{86'400'000}));
  work->add_flag("--until-empty", args->until_empty, "Stop once nothing is queued");
  Bind(work, global, action, args, Work);
}

}  // namespace grove::cli
