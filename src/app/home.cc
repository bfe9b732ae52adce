#include "app/home.h"

#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "common/file_util.h"
#include "pipeline/subprocess_launcher.h"
#include "store/store_url.h"

namespace grove::app {

namespace fs = std::filesystem;

Result<std::unique_ptr<Home>> Home::OpenFlag(const std::string& flag, const StoreLocations& stores) {
  if (!flag.empty()) return Open(flag, stores);
  const char* env = std::getenv("GROVE_HOME");
  return Open((env != nullptr && *env != '\0') ? fs::path(env) : fs::path(".grove"), stores);
}

Result<std::unique_ptr<Home>> Home::Open(const fs::path& root, const StoreLocations& stores) {
  auto home = std::unique_ptr<Home>(new Home());
  std::error_code ec;
  home->root_ = fs::absolute(root, ec);
  // A new data folder is its owner's alone: grove.db holds the access keys' secrets.
  const bool created = !fs::exists(home->root_, ec);
  RETURN_IF_ERROR(MakeDirs(home->root_));
  if (created) fs::permissions(home->root_, fs::perms::owner_all, fs::perm_options::replace, ec);
  home->stores_ = stores;
  ASSIGN_OR_RETURN(home->metadata_,
                   store::OpenMetadataStore(stores.db.empty() ? (home->root_ / "grove.db").string() : stores.db));
  store::ArtifactStoreOptions artifact_options;
  artifact_options.s3_endpoint = stores.s3_endpoint;
  artifact_options.cache_dir = home->root_ / "artifact-cache";
  artifact_options.cache_bytes = stores.cache_mb << 20;
  ASSIGN_OR_RETURN(home->artifacts_,
                   store::OpenArtifactStore(stores.artifacts.empty() ? (home->root_ / "artifacts").string()
                                                                     : stores.artifacts,
                                            artifact_options));
  home->registry_ = std::make_unique<registry::Registry>(home->metadata_.get(), SystemClock::Default());
  // Executions a crashed process left behind in the folder's own store end here. A shared store (--db) leaves
  // them to the servers, which take them over (app::Executions::ResumeOrphans).
  if (stores.db.empty()) {
    auto failed = home->metadata_->FailExpiredExecutions(SystemClock::Default()->Now());
    if (!failed.ok()) return failed.status();
  }
  return home;
}

Result<std::unique_ptr<serving::EndpointService>> Home::Endpoints() {
  auto service = std::make_unique<serving::EndpointService>(metadata(), artifacts(), serving::ModelCacheOptions{},
                                                             /*preload=*/false);
  RETURN_IF_ERROR(service->Refresh());
  return service;
}

Result<std::unique_ptr<pipeline::Executor>> Home::NewExecutor(int max_parallel_steps, const std::string& launcher,
                                                             uint64_t step_memory_mb) {
  pipeline::ExecutorServices services;
  services.metadata = metadata_.get();
  services.artifacts = artifacts_.get();
  services.registry = registry_.get();
  services.clock = SystemClock::Default();
  services.step_types = &pipeline::StepTypeRegistry::BuiltIn();
  pipeline::ExecutorOptions options;
  options.max_parallel_steps =
      max_parallel_steps > 0 ? max_parallel_steps : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.work_dir = work();
  if (launcher == "in-process") return std::make_unique<pipeline::Executor>(services, options);
  if (launcher != "subprocess") {
    return Status::InvalidArgument("--launcher: expected in-process or subprocess, got '" + launcher + "'");
  }
  pipeline::SubprocessLauncher::Options sub;
  std::error_code ec;
  sub.binary = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return Status::Internal("cannot find the grove binary to launch steps with: " + ec.message());
  sub.global_args = {"--home", root_.string()};
  // A step's process opens the same stores.
  if (!stores_.db.empty()) sub.global_args.insert(sub.global_args.end(), {"--db", stores_.db});
  if (!stores_.artifacts.empty()) sub.global_args.insert(sub.global_args.end(), {"--artifacts", stores_.artifacts});
  if (!stores_.s3_endpoint.empty()) {
    sub.global_args.insert(sub.global_args.end(), {"--s3-endpoint", stores_.s3_endpoint});
  }
  if (stores_.cache_mb > 0) {
    sub.global_args.insert(sub.global_args.end(), {"--artifact-cache-mb", std::to_string(stores_.cache_mb)});
  }
  sub.work_dir = options.work_dir;
  sub.slots = options.max_parallel_steps;
  const uint64_t machine = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGE_SIZE));
  sub.memory_limit_bytes = step_memory_mb > 0 ? step_memory_mb << 20 : machine / 4 * 3;
  return std::make_unique<pipeline::Executor>(services, options,
                                              std::make_unique<pipeline::SubprocessLauncher>(std::move(sub)));
}

}  // namespace grove::app
