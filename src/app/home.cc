#include "app/home.h"

#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "common/file_util.h"
#include "pipeline/slurm_cli.h"
#include "pipeline/slurm_launcher.h"
#include "pipeline/subprocess_launcher.h"
#include "store/store_url.h"

namespace grove::app {

namespace fs = std::filesystem;

fs::path Home::FolderOf(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv("GROVE_HOME");
  return (env != nullptr && *env != '\0') ? fs::path(env) : fs::path(".grove");
}

Result<std::unique_ptr<Home>> Home::OpenFlag(const std::string& flag, const StoreLocations& stores,
                                             const HomeOptions& options) {
  return Open(FolderOf(flag), stores, options);
}

Result<std::unique_ptr<Home>> Home::Open(const fs::path& root, const StoreLocations& stores,
                                         const HomeOptions& options) {
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
  if (home->RecoversOrphans() && options.recover_orphans) {
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

Result<pipeline::StepCommand> Home::StepRunCommand() const {
  pipeline::StepCommand command;
  std::error_code ec;
  command.binary = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return Status::Internal("cannot find the grove binary to launch steps with: " + ec.message());
  command.global_args = {"--home", root_.string()};
  // A step's process opens the same stores.
  if (!stores_.db.empty()) command.global_args.insert(command.global_args.end(), {"--db", stores_.db});
  if (!stores_.artifacts.empty()) {
    command.global_args.insert(command.global_args.end(), {"--artifacts", stores_.artifacts});
  }
  if (!stores_.s3_endpoint.empty()) {
    command.global_args.insert(command.global_args.end(), {"--s3-endpoint", stores_.s3_endpoint});
  }
  if (stores_.cache_mb > 0) {
    command.global_args.insert(command.global_args.end(), {"--artifact-cache-mb", std::to_string(stores_.cache_mb)});
  }
  return command;
}

Result<std::unique_ptr<pipeline::Executor>> Home::NewExecutor(int max_parallel_steps, const LauncherOptions& launcher) {
  const std::string& kind = launcher.kind;
  if (kind != "in-process" && kind != "subprocess" && kind != "slurm") {
    return Status::InvalidArgument("--executor: expected in-process, subprocess or slurm, got '" + kind + "'");
  }
  if (kind != "slurm" && (!launcher.slurm_partition.empty() || !launcher.slurm_sbatch_args.empty() ||
                          launcher.slurm_max_cpus > 0)) {
    return Status::InvalidArgument("--slurm-partition, --slurm-sbatch-arg and --slurm-max-cpus need --executor slurm");
  }
  pipeline::ExecutorServices services;
  services.metadata = metadata_.get();
  services.artifacts = artifacts_.get();
  services.registry = registry_.get();
  services.clock = SystemClock::Default();
  services.step_types = &pipeline::StepTypeRegistry::BuiltIn();
  pipeline::ExecutorOptions options;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.max_parallel_steps = max_parallel_steps > 0 ? max_parallel_steps : (kind == "slurm" ? 256 : cores);
  options.work_dir = work();
  if (kind == "in-process") return std::make_unique<pipeline::Executor>(services, options);
  ASSIGN_OR_RETURN(pipeline::StepCommand command, StepRunCommand());
  if (kind == "slurm") {
    pipeline::SlurmLauncher::Options slurm;
    slurm.command = std::move(command);
    slurm.work_dir = options.work_dir;
    slurm.partition = launcher.slurm_partition;
    slurm.sbatch_args = launcher.slurm_sbatch_args;
    slurm.slots = options.max_parallel_steps;
    slurm.memory_mb = launcher.step_memory_mb;
    slurm.max_cpus = launcher.slurm_max_cpus;
    return std::make_unique<pipeline::Executor>(
        services, options,
        std::make_unique<pipeline::SlurmLauncher>(std::move(slurm), std::make_unique<pipeline::SlurmCli>()));
  }
  pipeline::SubprocessLauncher::Options sub;
  sub.command = std::move(command);
  sub.work_dir = options.work_dir;
  sub.slots = options.max_parallel_steps;
  const uint64_t machine = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGE_SIZE));
  sub.memory_limit_bytes = launcher.step_memory_mb > 0 ? launcher.step_memory_mb << 20 : machine / 4 * 3;
  return std::make_unique<pipeline::Executor>(services, options,
                                              std::make_unique<pipeline::SubprocessLauncher>(std::move(sub)));
}

}  // namespace grove::app
