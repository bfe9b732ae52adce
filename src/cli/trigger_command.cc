// `grove trigger create|list|show|pause|resume|delete`: the triggers a server
// fires (events/), on the data folder or through a server (GROVE_URL).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/bind.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "events/trigger_spec.h"

namespace grove::cli {

namespace {

struct TriggerArgs {
  std::string name;
  std::string watch;
  std::string bucket;
  std::string schedule;
  std::string pipeline;
  std::vector<std::string> parameters;
  bool queue = false;
  std::string dimension;
  std::string endpoint;
  std::string model;
  int settle_ms = 500;
  int firings = 20;
};

Result<Json> SpecOf(const TriggerArgs& args) {
  Json spec = {{"name", args.name}, {"settle_ms", args.settle_ms}, {"source", "cli"}};
  if (!args.watch.empty()) spec["watch"] = args.watch;
  if (!args.bucket.empty()) spec["bucket"] = args.bucket;
  if (!args.schedule.empty()) spec["schedule"] = args.schedule;
  if (!args.pipeline.empty()) {
    // A file is kept absolute, so the server finds it whatever its working folder.
    spec["pipeline"] = events::IsPipelineFile(args.pipeline)
                           ? std::filesystem::absolute(args.pipeline).lexically_normal().string()
                           : args.pipeline;
    spec["parameters"] = Json::object();
    for (const std::string& item : args.parameters) {
      size_t eq = item.find('=');
      if (eq == std::string::npos || eq == 0) {
        return Status::InvalidArgument("-p '" + item + "': expected Name=Value, e.g. -p StateDim={StateDim}");
      }
      spec["parameters"][item.substr(0, eq)] = item.substr(eq + 1);
    }
  } else if (!args.parameters.empty()) {
    return Status::InvalidArgument("-p goes with --pipeline");
  }
  if (args.queue) {
    // By default the dimension is the pattern's first binding and the model "<dimension>-model-registry".
    std::string dimension = args.dimension;
    if (dimension.empty()) {
      Result<events::WatchPattern> pattern = events::WatchPattern::Parse(args.watch);
      if (pattern.ok() && !pattern->names().empty()) dimension = "{" + pattern->names().front() + "}";
    }
    spec["queue"] = Json::object();
    if (!dimension.empty()) spec["queue"]["dimension"] = dimension;
    if (!args.endpoint.empty()) spec["queue"]["endpoint"] = args.endpoint;
    std::string model = args.model.empty() && !dimension.empty() ? dimension + "-model-registry" : args.model;
    if (!model.empty()) spec["queue"]["model"] = model;
  }
  return spec;
}

std::string WhenOf(const Json& t) {
  if (t.contains("schedule")) return "schedule " + t["schedule"].get<std::string>();
  return "watch " + t.value("watch", "") + (t.contains("bucket") ? " (bucket " + t["bucket"].get<std::string>() + ")" : "");
}

std::string ActionOf(const Json& t) {
  if (t.contains("queue")) return "queue " + t["queue"].dump();
  return "pipeline " + t.value("pipeline", "");
}

int PrintTrigger(const GlobalOptions& global, const Result<Json>& trigger, const std::string& verb) {
  if (!trigger.ok()) return ReportError(trigger.status());
  if (global.json) {
    PrintJson(std::cout, *trigger);
  } else {
    std::cout << verb << " trigger " << (*trigger)["name"].get<std::string>() << ": " << WhenOf(*trigger) << " -> "
              << ActionOf(*trigger) << std::endl;
  }
  return kExitOk;
}

int Create(const GlobalOptions& global, const TriggerArgs& args) {
  Result<Json> spec = SpecOf(args);
  if (!spec.ok()) return ReportError(spec.status());
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  return PrintTrigger(global, (*client)->CreateTrigger(*spec), "created");
}

int List(const GlobalOptions& global, const TriggerArgs&) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto triggers = (*client)->ListTriggers();
  if (!triggers.ok()) return ReportError(triggers.status());
  if (global.json) {
    PrintJson(std::cout, {{"triggers", *triggers}});
    return kExitOk;
  }
  if (triggers->empty()) {
    std::cout << "no triggers (grove trigger create, or grove server --triggers FILE)\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& t : *triggers) {
    rows.push_back({t.value("name", ""), WhenOf(t), ActionOf(t), t.value("paused", false) ? "Paused" : "Active",
                    t.value("source", "")});
  }
  PrintTable(std::cout, {"NAME", "WHEN", "ACTION", "STATUS", "SOURCE"}, rows);
  return kExitOk;
}

int Show(const GlobalOptions& global, const TriggerArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto trigger = (*client)->DescribeTrigger(args.name, args.firings);
  if (!trigger.ok()) return ReportError(trigger.status());
  if (global.json) {
    PrintJson(std::cout, *trigger);
    return kExitOk;
  }
  const Json& t = *trigger;
  std::cout << "trigger " << t.value("name", "") << (t.value("paused", false) ? " (paused)" : "") << "\n  "
            << WhenOf(t) << "\n  " << ActionOf(t) << "\n";
  if (t.contains("parameters") && !t["parameters"].empty()) std::cout << "  parameters " << t["parameters"].dump() << "\n";
  std::cout << "  source " << t.value("source", "") << "\n";
  const Json firings = t.value("firings", Json::array());
  if (firings.empty()) {
    std::cout << "no firings yet\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& f : firings) {
    std::string result = f.value("execution_id", "");
    if (f.contains("queued_rows")) result = std::to_string(f["queued_rows"].get<int64_t>()) + " rows";
    if (f.contains("error")) result = f["error"].get<std::string>();
    rows.push_back({f.value("id", ""), FormatTime(f["claimed_at"]), f.value("status", ""), f.value("path", ""), result});
  }
  PrintTable(std::cout, {"FIRING", "TIME", "STATUS", "PATH", "RESULT"}, rows);
  return kExitOk;
}

int Pause(const GlobalOptions& global, const TriggerArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  return PrintTrigger(global, (*client)->PauseTrigger(args.name, true), "paused");
}

int Resume(const GlobalOptions& global, const TriggerArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  return PrintTrigger(global, (*client)->PauseTrigger(args.name, false), "resumed");
}

int Delete(const GlobalOptions& global, const TriggerArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  if (Status s = (*client)->DeleteTrigger(args.name); !s.ok()) return ReportError(s);
  if (global.json) {
    PrintJson(std::cout, {{"deleted", args.name}});
  } else {
    std::cout << "deleted trigger " << args.name << " (its firings are kept)\n";
  }
  return kExitOk;
}

}  // namespace

void AddTriggerCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<TriggerArgs>();
  CLI::App* cmd = app.add_subcommand("trigger", "Start pipelines or queue files when files arrive or on a schedule");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const TriggerArgs&)) {
    Bind(sub, global, action, args, fn);
  };
  CLI::App* create = cmd->add_subcommand("create", "Create a trigger (a running server picks it up within a second)");
  create->add_option("name", args->name, "The trigger's name")->required();
  auto* watch = create->add_option("--watch", args->watch,
                                   "A path pattern under a watched folder or S3 prefix, e.g. "
                                   "\"training-dataset/{StateDim}/*.csv\"");
  auto* schedule = create->add_option("--schedule", args->schedule, "A 5-field cron schedule, UTC, e.g. \"*/5 * * * *\"");
  watch->excludes(schedule);
  create->add_option("--bucket", args->bucket, "With --watch: only uploads to this S3 bucket (default: any)");
  auto* pipeline = create->add_option("--pipeline", args->pipeline, "A definition file or a registered pipeline's name");
  auto* queue = create->add_flag("--queue", args->queue, "Queue the file's rows for inference instead");
  pipeline->excludes(queue);
  create->add_option("-p,--parameter", args->parameters, "Name=Template, e.g. -p InputData={path} (repeatable)");
  create->add_option("--dimension", args->dimension, "With --queue: the dimension (default: the pattern's first {Name})");
  create->add_option("--endpoint", args->endpoint, "With --queue: the endpoint");
  create->add_option("--model", args->model, "With --queue: the model (default: <dimension>-model-registry)");
  create->add_option("--settle-ms", args->settle_ms, "How long a written file must stay unchanged (default 500)");
  bind(create, Create);
  bind(cmd->add_subcommand("list", "List triggers"), List);
  CLI::App* show = cmd->add_subcommand("show", "Show a trigger and its recent firings");
  show->add_option("name", args->name, "The trigger's name")->required();
  show->add_option("--firings", args->firings, "How many recent firings (default 20; 0: all)");
  bind(show, Show);
  for (auto [verb, fn, help] : {std::tuple{"pause", &Pause, "Stop firing (arrivals meanwhile fire on resume)"},
                                std::tuple{"resume", &Resume, "Fire again"},
                                std::tuple{"delete", &Delete, "Delete a trigger (its firings are kept)"}}) {
    CLI::App* sub = cmd->add_subcommand(verb, help);
    sub->add_option("name", args->name, "The trigger's name")->required();
    bind(sub, fn);
  }
}

}  // namespace grove::cli
