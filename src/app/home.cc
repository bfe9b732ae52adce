#include "app/home.h"

#include <cstdlib>

#include "common/file_util.h"

namespace grove::app {

namespace fs = std::filesystem;

Result<std::unique_ptr<Home>> Home::OpenFlag(const std::string& flag) {
  if (!flag.empty()) return Open(flag);
  const char* env = std::getenv("GROVE_HOME");
  return Open((env != nullptr && *env != '\0') ? fs::path(env) : fs::path(".grove"));
}

Result<std::unique_ptr<Home>> Home::Open(const fs::path& root) {
  auto home = std::unique_ptr<Home>(new Home());
  std::error_code ec;
  home->root_ = fs::absolute(root, ec);
  RETURN_IF_ERROR(MakeDirs(home->root_));
  ASSIGN_OR_RETURN(home->metadata_, store::OpenSqliteMetadataStore((home->root_ / "grove.db").string()));
  ASSIGN_OR_RETURN(home->artifacts_, store::OpenLocalArtifactStore(home->root_ / "artifacts"));
  home->registry_ = std::make_unique<registry::Registry>(home->metadata_.get(), SystemClock::Default());
  auto failed = home->metadata_->FailExpiredExecutions(SystemClock::Default()->Now());
  if (!failed.ok()) return failed.status();
  return home;
}

Result<std::unique_ptr<serving::EndpointService>> Home::Endpoints() {
  auto service = std::make_unique<serving::EndpointService>(metadata(), artifacts(), serving::ModelCacheOptions{},
                                                             /*preload=*/false);
  RETURN_IF_ERROR(service->Refresh());
  return service;
}

std::unique_ptr<pipeline::Executor> Home::NewExecutor(int max_parallel_steps) {
  pipeline::ExecutorServices services;
  services.metadata = metadata_.get();
  services.artifacts = artifacts_.get();
  services.registry = registry_.get();
  services.clock = SystemClock::Default();
  services.step_types = &pipeline::StepTypeRegistry::BuiltIn();
  pipeline::ExecutorOptions options;
  options.max_parallel_steps = max_parallel_steps;
  options.work_dir = work();
  return std::make_unique<pipeline::Executor>(services, options);
}

}  // namespace grove::app
