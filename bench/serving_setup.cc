// Setup for bench/serving_bench.sh and bench/model_load_bench.sh: registers
// `count` distinct copies of an approved model version (each its own group
// "bench-model-NNNN" and artifact, differing in base_score so that none shares
// a load) in one transaction, and creates the multi-model endpoint "many"
// following them. With "compile", also writes each copy's compiled model file
// (serving/compiled_model_file.h), as the first load would.
//
// Usage: serving_setup <data folder> <group/version to copy> <count> [compile]

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/home.h"
#include "common/file_util.h"
#include "registry/endpoints.h"
#include "serving/deployed_model.h"
#include "store/metadata_store.h"

namespace {

int Fail(const grove::Status& s) {
  std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace grove;
  if (argc != 4 && !(argc == 5 && std::string(argv[4]) == "compile")) {
    std::fprintf(stderr, "usage: serving_setup <data folder> <group/version> <count> [compile]\n");
    return 2;
  }
  auto home = app::Home::Open(argv[1]);
  if (!home.ok()) return Fail(home.status());
  registry::Registry* registry = (*home)->registry();
  auto ref = registry::Registry::ParseVersionRef(argv[2]);
  if (!ref.ok()) return Fail(ref.status());
  auto source = registry->Get(ref->first, ref->second);
  if (!source.ok()) return Fail(source.status());
  auto path = (*home)->artifacts()->LocalPath(source->model_digest);
  if (!path.ok()) return Fail(path.status());
  auto bytes = ReadFile(*path);
  if (!bytes.ok()) return Fail(bytes.status());
  const std::string needle = "\"base_score\":\"";
  size_t at = bytes->find(needle);
  if (at == std::string::npos) return Fail(Status::InvalidArgument("the model has no base_score"));
  size_t value_end = bytes->find('"', at + needle.size());

  int count = std::atoi(argv[3]);
  bool compile = argc == 5;
  std::vector<store::ModelVersionRecord> versions;
  for (int i = 0; i < count; ++i) {
    char group[32], base[32];
    std::snprintf(group, sizeof group, "bench-model-%04d", i);
    std::snprintf(base, sizeof base, "%.6f", 0.5 + i * 1e-4);
    std::string copy = bytes->substr(0, at + needle.size()) + base + bytes->substr(value_end);
    auto artifact = (*home)->artifacts()->PutBytes(copy);
    if (!artifact.ok()) return Fail(artifact.status());
    if (compile) {
      auto compiled = serving::LoadModelPredictor(*(*home)->artifacts(), artifact->digest);
      if (!compiled.ok()) return Fail(compiled.status());
    }
    store::ModelVersionRecord v = *source;
    v.group = group;
    v.model_digest = artifact->digest;
    v.approval_status = store::kApproved;
    versions.push_back(std::move(v));
  }
  Status registered = (*home)->metadata()->Transact([&](store::StoreTransaction& txn) {
    for (const store::ModelVersionRecord& v : versions) RETURN_IF_ERROR(registry->Register(txn, v).status());
    return Status::OK();
  });
  if (!registered.ok()) return Fail(registered);
  store::EndpointRecord many;
  many.name = "many";
  many.multi_model = true;
  many.follow = {"bench-model-*"};
  auto created = registry::Endpoints((*home)->metadata(), (*home)->clock()).Create(many);
  if (!created.ok()) return Fail(created.status());
  std::printf("registered %d models and endpoint 'many'\n", count);
  return 0;
}
