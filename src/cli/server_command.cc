#include <CLI/CLI.hpp>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <random>

#include "api/access_control.h"
#include "api/console_routes.h"
#include "api/http_server.h"
#include "app/inference_queue.h"
#include "api/rest/rest_routes.h"
#include "api/serving_routes.h"
#include "cli/commands.h"
#include "cli/execution_wait.h"
#include "cli/executor_flags.h"
#include "cli/output.h"
#include "cli/server_auth.h"
#include "cli/server_triggers.h"
#include "cli/server_hooks.h"
#include "cli/server_promotions.h"
#include "cli/server_rollouts.h"
#include "common/json.h"
#include "events/folder_watcher.h"
#include "events/trigger_runner.h"
#include "events/event_follower.h"
#include "cli/orphan_watch.h"
#include "pipeline/executor.h"
#include "api/s3/s3_routes.h"
#include "api/sagemaker/control_plane.h"
#include "serving/data_capture.h"
#include "serving/endpoint_service.h"
#include "serving/loader_pool.h"

namespace grove::cli {

namespace {

struct ServerArgs {
  std::string listen = "127.0.0.1:8080";
  int io_threads = 0;
  size_t max_models = 0;
  int loader_threads = 2;
  size_t max_memory_mb = 0;
  size_t body_limit_mb = 6;
  // The HTTP server's timeouts (HttpServerOptions), as durations: "60s", "500ms".
  std::string idle_timeout = "60s";
  std::string header_timeout = "20s";
  std::string body_timeout = "30s";
  std::string write_timeout = "30s";
  size_t body_min_rate_kib = 8;
  int poll_ms = 200;
  std::string region = "us-east-1";
  int max_parallel = 0;
  app::LauncherOptions launcher;
  std::string auth = "on";
  std::vector<std::string> watch;     // Watched folders (triggers' patterns are relative to them).
  std::vector<std::string> triggers;  // Triggers files, loaded at start.
  int queue_workers = 2;
  ServerHookOptions hooks;  // --smtp-url, --smtp-from.
  bool print_routes = false;  // --routes: print what each route asks of a caller, and exit.
};

Status ParseListen(const std::string& listen, api::HttpServerOptions* options) {
  size_t colon = listen.rfind(':');
  std::string port = colon == std::string::npos ? listen : listen.substr(colon + 1);
  if (colon != std::string::npos && colon > 0) options->host = listen.substr(0, colon);
  try {
    size_t used = 0;
    int value = std::stoi(port, &used);
    if (used != port.size() || value < 0 || value > 65535) throw std::out_of_range(port);
    options->port = static_cast<uint16_t>(value);
  } catch (const std::exception&) {
    return Status::InvalidArgument("--listen '" + listen + "': expected [host:]port, e.g. 127.0.0.1:8080");
  }
  return Status::OK();
}

// The timeouts that bound slow and idle clients (docs/operations.md, "Slow and hostile clients").
Status ParseHttpTimeouts(const ServerArgs& args, api::HttpServerOptions* options) {
  ASSIGN_OR_RETURN(options->idle_timeout, ParseTimeout(args.idle_timeout, "--idle-timeout"));
  ASSIGN_OR_RETURN(options->header_timeout, ParseTimeout(args.header_timeout, "--header-timeout"));
  ASSIGN_OR_RETURN(options->body_timeout, ParseTimeout(args.body_timeout, "--body-timeout"));
  ASSIGN_OR_RETURN(options->write_timeout, ParseTimeout(args.write_timeout, "--write-timeout"));
  options->body_min_rate = args.body_min_rate_kib * 1024;
  return Status::OK();
}

// `grove server --routes`: every route and SageMaker operation with the role
// it asks for ("none": open), one JSON object per line.
int PrintRoutes(const api::Router& router, const std::vector<std::string>& operations) {
  auto role = [](const std::optional<app::Role>& r) { return r ? std::string(app::RoleName(*r)) : "none"; };
  for (const api::RouteAccess& access : api::DescribeAccess(router.Describe())) {
    std::cout << Json{{"method", access.method}, {"pattern", access.pattern}, {"example", access.example.path},
                      {"role", role(access.role)}}.dump()
              << "\n";
  }
  for (const std::string& operation : operations) {
    api::HttpRequest request;
    request.method = "POST";
    request.path = request.target = "/";
    request.headers.Set("X-Amz-Target", "SageMaker." + operation);
    std::cout << Json{{"method", "POST"}, {"pattern", "/"}, {"example", "/"}, {"target", "SageMaker." + operation},
                      {"role", role(api::DefaultRequiredRole(request))}}.dump()
              << "\n";
  }
  std::cout.flush();
  return kExitOk;
}

int Serve(const GlobalOptions& global, const ServerArgs& args) {
  api::HttpServerOptions options;
  if (Status s = ParseListen(args.listen, &options); !s.ok()) return ReportError(s);
  if (Status s = CheckServerAuth(args.auth, options.host); !s.ok()) return ReportError(s);
  if (Status s = ParseHttpTimeouts(args, &options); !s.ok()) return ReportError(s);
  options.io_threads = args.io_threads;
  options.body_limit = args.body_limit_mb * 1024 * 1024;

  // Signals go to sigwait below, not to whichever thread happens to run.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto home = app::Home::OpenFlag(global.home, global.stores);  // Always the data folder, whatever GROVE_URL says.
  if (!home.ok()) return ReportError(home.status());
  store::MetadataStore* metadata = (*home)->metadata();
  serving::ModelCacheOptions cache;
  cache.max_models = args.max_models;
  cache.max_bytes = args.max_memory_mb * 1024 * 1024;
  serving::EndpointService service(metadata, (*home)->artifacts(), cache);
  // Events after this point are followed; everything before is in the first Refresh.
  auto latest = events::LatestEventSeq(*metadata);
  if (!latest.ok()) return ReportError(latest.status());
  if (Status s = service.Refresh(); !s.ok()) return ReportError(s);

  // Reset explicitly at the end, before the routes whose handlers its last callbacks call.
  std::unique_ptr<serving::LoaderPool> loader;
  if (args.loader_threads > 0) {
    loader = std::make_unique<serving::LoaderPool>(&service.cache(), serving::LoaderPoolOptions{args.loader_threads});
  }
  serving::DataCapture capture((*home)->root() / "capture", (*home)->clock(), std::random_device{}());
  api::InvocationCounters counters;
  // Pipelines started through the APIs run here, as `grove run` runs them.
  auto executor = (*home)->NewExecutor(args.max_parallel, args.launcher);
  if (!executor.ok()) return ReportError(executor.status());
  api::Router router;
  if (Status s = api::AddServingRoutes(&router, &service, &capture, &counters, loader.get()); !s.ok()) {
    return ReportError(s);
  }
  api::rest::RestContext rest;
  rest.home = home->get();
  rest.executor = executor->get();
  rest.service = &service;
  rest.events.poll = std::chrono::milliseconds(args.poll_ms);
  if (Status s = api::rest::AddRestRoutes(&router, rest); !s.ok()) return ReportError(s);
  auto control_plane = std::make_shared<api::sagemaker::ControlPlane>(api::sagemaker::OperationContext{
      home->get(), executor->get(), &service, api::sagemaker::Arns(args.region)});
  router.AddForHeader("X-Amz-Target", control_plane);
  if (Status s = api::AddConsoleRoutes(&router); !s.ok()) return ReportError(s);
  // S3 last: its /{bucket}/{key...} rules would shadow any route added after them.
  app::ObjectStore objects(**home);
  if (Status s = api::s3::AddS3Routes(&router, &objects); !s.ok()) return ReportError(s);
  if (args.print_routes) return PrintRoutes(router, control_plane->Operations());
  auto access = SetUpServerAuth(args.auth, **home);
  if (!access.ok()) return ReportError(access.status());
  api::AccessControl guarded(router, access->authenticator.get());
  api::HttpServer server(options, guarded);
  if (Status s = server.Start(); !s.ok()) return ReportError(s);
  // Before any request could start a pipeline: the environment is read when steps run.
  ShareStepS3Access(*access, options.host, server.port(), args.region);

  events::EventFollower follower(metadata, std::chrono::milliseconds(args.poll_ms), *latest,
                                 [&service](const std::vector<store::EventRecord>& events) {
                                   for (const store::EventRecord& e : events) {
                                     if (events::ChangesEndpoints(e)) return service.Refresh();
                                   }
                                   return Status::OK();
                                 });
  follower.Start([](const Status& s) { std::cerr << "warning: following events: " << s.ToString() << "\n"; });
  // Executions whose process died (another server sharing the store, or this one before a restart) run on here.
  OrphanWatch orphans(**home, executor->get(), std::chrono::seconds(1));
  // The inference queue's workers (app/inference_queue.h); they stop when this goes out of scope.
  std::unique_ptr<app::RunningQueue> queue = app::StartQueueWorkers(**home, service, args.queue_workers);
  // Promotion flows' runs (app/promotion_runner.h); they stop when this goes out of scope.
  RunningPromotions promotions(**home, service);
  if (Status s = promotions.Start(std::chrono::milliseconds(args.poll_ms)); !s.ok()) return ReportError(s);
  // Canary and linear rollouts (app/rollouts.h), their alarms over this server's variant counters.
  RunningRollouts rollouts(**home, service);
  rollouts.Start(std::chrono::milliseconds(args.poll_ms));

  if (Status s = LoadTriggerFiles(**home, args.triggers); !s.ok()) return ReportError(s);
  ServerTriggerActions trigger_actions(**home, executor->get(), args.watch);
  std::unique_ptr<events::InotifyWatcher> watcher;
  if (!args.watch.empty()) {
    auto made = events::InotifyWatcher::Create();
    if (!made.ok()) return ReportError(made.status());
    watcher = std::move(*made);
  }
  events::TriggerRunnerOptions trigger_options;
  trigger_options.roots.assign(args.watch.begin(), args.watch.end());
  trigger_options.on_fired = [](const store::TriggerFiringRecord& f) {
    std::cout << "trigger " << f.trigger << ": " << (f.path.empty() ? f.identity : f.path) << " -> "
              << (f.execution_id.empty() ? f.status : "execution " + f.execution_id)
              << (f.error.empty() ? "" : ": " + f.error) << std::endl;
  };
  events::TriggerRunner triggers(metadata, &trigger_actions, watcher.get(), (*home)->clock(), trigger_options);
  if (Status s = triggers.Start([](const Status& s) { std::cerr << "warning: triggers: " << s.ToString() << "\n"; });
      !s.ok()) {
    return ReportError(s);
  }

  // Hooks (events/hook_deliverer.h): from each hook's durable cursor, so events while no server ran go out now.
  ServerHookOptions hook_options = args.hooks;
  hook_options.poll = std::chrono::milliseconds(args.poll_ms);
  ServerHooks hooks(**home, executor->get(), hook_options);
  hooks.Start();

  size_t endpoints = service.snapshot()->endpoints.size();
  std::cout << "grove server listening on http://" << options.host << ":" << server.port() << " (" << endpoints
            << " endpoint" << (endpoints == 1 ? "" : "s") << ", data folder " << (*home)->root().string()
            << "); Ctrl-C stops it" << std::endl;
  PrintServerAuth(*access, **home, options.host, server.port());
  std::cout << "web console: http://" << options.host << ":" << server.port() << "/"
            << (args.auth == "off" ? "" : " (sign in with an access key's secret)") << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cout << "stopping (" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ")" << std::endl;
  triggers.Stop();
  hooks.Stop();
  follower.Stop();
  server.Stop();
  loader.reset();
  return kExitOk;
}

}  // namespace

void AddServerCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<ServerArgs>();
  CLI::App* cmd =
      app.add_subcommand("server", "Serve endpoints, the SageMaker API, S3 and pipeline runs over HTTP");
  cmd->add_option("--listen", args->listen, "[host:]port to listen on (default 127.0.0.1:8080; port 0 picks one)");
  cmd->add_option("--io-threads", args->io_threads, "HTTP I/O threads (default: one per core)");
  cmd->add_option("--max-models", args->max_models, "Loaded models kept at most (default: no limit)");
  cmd->add_option("--loader-threads", args->loader_threads,
                  "Threads that load models on a request's first use, off the I/O threads (default 2; "
                  "0: load on the I/O thread)")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--max-memory-mb", args->max_memory_mb, "Memory for loaded models, MiB (default: no limit)");
  cmd->add_option("--body-limit-mb", args->body_limit_mb, "Largest request body, MiB (default 6)");
  cmd->add_option("--idle-timeout", args->idle_timeout,
                  "Close a connection that sends no request for this long (default 60s)");
  cmd->add_option("--header-timeout", args->header_timeout,
                  "408 for a request whose line and headers take longer than this to arrive (default 20s)");
  cmd->add_option("--body-timeout", args->body_timeout,
                  "408 for a request body that pauses this long, or arrives slower than --body-min-rate-kib after "
                  "this long (default 30s)");
  cmd->add_option("--body-min-rate-kib", args->body_min_rate_kib,
                  "Body rate, KiB/s, that earns a body more time than --body-timeout (default 8)")
      ->check(CLI::Range(size_t{0}, size_t{1} << 20));
  cmd->add_option("--write-timeout", args->write_timeout,
                  "Close a connection whose client does not read its response for this long (default 30s)");
  cmd->add_option("--auth", args->auth, "on: answer only signed or keyed requests (default); off: anyone "
                 "(loopback addresses only)")
      ->check(CLI::IsMember({"on", "off"}));
  cmd->add_option("--poll-ms", args->poll_ms, "How often to read the event log, ms (default 200)")
      ->check(CLI::Range(10, 60000));
  cmd->add_option("--region", args->region, "The AWS region the SageMaker API reports in ARNs (default us-east-1)");
  cmd->add_option("--max-parallel", args->max_parallel,
                  "Pipeline steps running at once, across executions (default: number of cores; with --executor slurm, 256 jobs)");
  AddExecutorFlags(cmd, &args->launcher);
  cmd->add_option("--watch", args->watch,
                  "A folder whose arriving files fire triggers (repeatable; created when missing; subfolders too)");
  cmd->add_option("--triggers", args->triggers,
                  "A triggers file (a top-level triggers: list) loaded at start (repeatable)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--queue-workers", args->queue_workers, "Inference queue worker threads (default 2; 0: none)")
      ->check(CLI::Range(0, 64));
  cmd->add_flag("--routes", args->print_routes,
               "Print every route and SageMaker operation with the role it needs (JSON lines), then exit");
  cmd->add_option("--smtp-url", args->hooks.smtp_url, "SMTP server for email hooks, e.g. smtp://mail:25 or smtps://...")
      ->envname("GROVE_SMTP_URL");
  cmd->add_option("--smtp-from", args->hooks.smtp_from, "Sender of email hooks (default grove@localhost)")
      ->envname("GROVE_SMTP_FROM");
  cmd->callback([&global, action, args] { *action = [&global, args] { return Serve(global, *args); }; });
}

}  // namespace grove::cli
