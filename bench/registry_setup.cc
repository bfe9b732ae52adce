// Setup for bench/sagemaker_bench.sh: registers `count` versions in model
// group `group` (5,000 per transaction), each with a model artifact digest,
// an evaluation report digest and metadata like a pipeline's.
//
// Usage: registry_setup <data folder> <group> <count>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/home.h"
#include "bench/bench_versions.h"
#include "registry/registry.h"

int main(int argc, char** argv) {
  using namespace grove;
  if (argc != 4) {
    std::fprintf(stderr, "usage: registry_setup <data folder> <group> <count>\n");
    return 2;
  }
  auto home = app::Home::Open(argv[1]);
  if (!home.ok()) {
    std::fprintf(stderr, "error: %s\n", home.status().ToString().c_str());
    return 1;
  }
  const std::string group = argv[2];
  const int count = std::atoi(argv[3]);
  constexpr int kBatch = 5000;
  for (int done = 0; done < count;) {
    const int n = std::min(kBatch, count - done);
    Status s = (*home)->metadata()->Transact([&](store::StoreTransaction& txn) -> Status {
      for (int i = 0; i < n; ++i) {
        store::ModelVersionRecord v = bench::BenchVersion(group, done + i);
        RETURN_IF_ERROR((*home)->registry()->Register(txn, v).status());
      }
      return Status::OK();
    });
    if (!s.ok()) {
      std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
      return 1;
    }
    done += n;
  }
  std::printf("registered %d versions in %s\n", count, group.c_str());
  return 0;
}
