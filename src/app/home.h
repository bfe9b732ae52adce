#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "pipeline/executor.h"
#include "pipeline/step_command.h"
#include "registry/registry.h"
#include "serving/endpoint_service.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::app {

// The data folder ($GROVE_HOME, default ./.grove) opened: the metadata store
// (grove.db), the artifact store (artifacts/), scratch space (work/) and the
// registry. Opening it fails executions left behind by a crashed process:
// at once when that process ran on this machine, else once its lease expired
// (only with the folder's own metadata store: with a shared one, --db, running
// servers take them over instead).
// The CLI opens one per command, the server one for its lifetime; the use
// cases in app/ work on it.
// Where a data folder's stores live when not inside it (--db, --artifacts,
// --s3-endpoint, or GROVE_DB, GROVE_ARTIFACTS, GROVE_S3_ENDPOINT): store URLs
// as store/store_url.h reads them. Empty: grove.db and artifacts/ in the folder.
struct StoreLocations {
  std::string db;
  std::string artifacts;    // e.g. s3://bucket/prefix; local copies then go to <folder>/artifact-cache.
  std::string s3_endpoint;  // The S3 endpoint for s3:// artifacts (default: AWS's for the region).
  uint64_t cache_mb = 0;    // s3:// artifacts: the local copies' size bound, MiB (0: none).
};

// Where an executor's steps run (--executor and its options).
struct LauncherOptions {
  // "in-process" (a worker pool), "subprocess" (each attempt as `grove
  // step-run`, so a crashing step fails alone) or "slurm" (each attempt as a
  // Slurm job running `grove step-run`; ForEach items as job arrays).
  std::string kind = "in-process";
  // subprocess: the address space each step's process may use (0: three
  // quarters of the machine's memory). slurm: each job's --mem (0: the
  // cluster's default).
  uint64_t step_memory_mb = 0;
  std::string slurm_partition;               // Empty: the cluster's default partition.
  std::vector<std::string> slurm_sbatch_args;  // Added to every sbatch, e.g. "--time=60".
  int slurm_max_cpus = 0;                    // Caps a job's --cpus-per-task; 0: no cap.
};

// How a data folder is opened.
struct HomeOptions {
  // Fail the executions a crashed process left behind (see Home). Tools that
  // only look (grove doctor without --repair) leave them as they are.
  bool recover_orphans = true;
};

class Home {
 public:
  static Result<std::unique_ptr<Home>> Open(const std::filesystem::path& root, const StoreLocations& stores = {},
                                            const HomeOptions& options = {});
  // Opens `flag` (the --home option) or, when it is empty, $GROVE_HOME or ./.grove.
  static Result<std::unique_ptr<Home>> OpenFlag(const std::string& flag, const StoreLocations& stores = {},
                                                const HomeOptions& options = {});
  // The folder OpenFlag would open.
  static std::filesystem::path FolderOf(const std::string& flag);

  const std::filesystem::path& root() const { return root_; }
  // Scratch space of running steps: <work>/<execution id>/<step>/ (outputs, live log).
  std::filesystem::path work() const { return root_ / "work"; }
  store::MetadataStore* metadata() { return metadata_.get(); }
  store::ArtifactStore* artifacts() { return artifacts_.get(); }
  registry::Registry* registry() { return registry_.get(); }
  const Clock* clock() const { return SystemClock::Default(); }
  const StoreLocations& stores() const { return stores_; }
  // Whether orphaned executions are this process's to fail (the folder's own
  // metadata store), rather than left to servers taking them over (--db).
  bool RecoversOrphans() const { return stores_.db.empty(); }

  // What this data folder's endpoints serve, resolved (Refresh) but with
  // nothing loaded: one-shot commands load only the models they use.
  Result<std::unique_ptr<serving::EndpointService>> Endpoints();
  // An executor over this data folder, running steps where `launcher` says.
  // `max_parallel_steps` 0: the number of cores, or 256 Slurm jobs at once.
  // InvalidArgument for an unknown launcher, or Slurm options without slurm.
  Result<std::unique_ptr<pipeline::Executor>> NewExecutor(int max_parallel_steps,
                                                          const LauncherOptions& launcher = {});

 private:
  // `grove [global args] step-run ...` for this data folder, as launchers run it.
  Result<pipeline::StepCommand> StepRunCommand() const;

  std::filesystem::path root_;
  StoreLocations stores_;
  std::unique_ptr<store::MetadataStore> metadata_;
  std::unique_ptr<store::ArtifactStore> artifacts_;
  std::unique_ptr<registry::Registry> registry_;
};

}  // namespace grove::app
