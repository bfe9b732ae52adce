// The model registry at 100,000 versions, on SQLite and on PostgreSQL (bench/registry_store_bench.sh starts a
// PostgreSQL server with scripts/postgres.sh and passes its URL). For each backend, in the same run:
//  - register: 100,000 versions of one group through the registry, 5,000 per transaction;
//  - list page: one page of 100 version summaries (what `grove registry versions` and ListModelPackages read),
//    from a random place, through ListModelVersionsAfter;
//  - list all: every version of the group, whole records (ListModelVersions);
//  - describe: one version by number (GetModelVersion), at random.
//
// Usage: registry_store_bench <postgresql URL> [versions]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "common/file_util.h"
#include "bench/bench_versions.h"
#include "registry/registry.h"
#include "store/store_url.h"

namespace {

using namespace grove;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void Check(const Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
    std::exit(1);
  }
}

// Mean microseconds of `op` over `n` calls.
template <typename Op>
double MeanMicros(int n, Op op) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) op(i);
  return Seconds(start) * 1e6 / n;
}

void Run(const std::string& name, const std::string& url, int versions) {
  auto opened = store::OpenMetadataStore(url);
  Check(opened.status());
  store::MetadataStore& metadata = **opened;
  registry::Registry registry(&metadata, SystemClock::Default());
  const std::string group = "BenchGroup";
  constexpr int kBatch = 5000;
  auto start = std::chrono::steady_clock::now();
  for (int done = 0; done < versions;) {
    const int n = std::min(kBatch, versions - done);
    Check(metadata.Transact([&](store::StoreTransaction& txn) -> Status {
      for (int i = 0; i < n; ++i) {
        store::ModelVersionRecord v = bench::BenchVersion(group, done + i);
        RETURN_IF_ERROR(registry.Register(txn, v).status());
      }
      return Status::OK();
    }));
    done += n;
  }
  const double register_s = Seconds(start);
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> pick(1, versions);
  const double page_us = MeanMicros(200, [&](int) {
    auto page = store::ReadValue(metadata, [&](store::StoreReader& rows) {
      return rows.ListModelVersionsAfter(group, pick(rng), 100, false);
    });
    Check(page.status());
  });
  const double all_ms = MeanMicros(3, [&](int) { Check(metadata.ListModelVersions(group).status()); }) / 1000;
  const double describe_us = MeanMicros(2000, [&](int) { Check(metadata.GetModelVersion(group, pick(rng)).status()); });
  std::printf("%-10s %7d versions: register %6.2f s (%6.0f/s)   list page of 100 %8.0f us   list all %7.0f ms   "
              "describe %6.0f us\n",
              name.c_str(), versions, register_s, versions / register_s, page_us, all_ms, describe_us);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: registry_store_bench <postgresql URL> [versions]\n");
    return 2;
  }
  const int versions = argc > 2 ? std::atoi(argv[2]) : 100'000;
  TempDir dir;
  Run("SQLite", (dir.path() / "grove.db").string(), versions);
  Run("PostgreSQL", argv[1], versions);
  return 0;
}
