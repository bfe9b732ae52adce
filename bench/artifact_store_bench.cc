// Artifact write and read throughput: the local folder against an S3 bucket (bench/artifact_bench.sh starts
// moto's S3 server and passes its endpoint), for 1 MiB and 100 MiB files. A write is Put of a file (hash, keep a
// local copy, upload); a read is LocalPath on another store with an empty cache (download, hash, keep).
//
// Usage: artifact_store_bench <s3 endpoint> <bucket>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <string>
#include <vector>

#include "common/file_util.h"
#include "common/random.h"
#include "store/artifact_store.h"
#include "store/s3_artifact_store.h"

namespace {

using namespace grove;
namespace fs = std::filesystem;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::unique_ptr<store::ArtifactStore> Must(Result<std::unique_ptr<store::ArtifactStore>> store) {
  if (!store.ok()) {
    std::fprintf(stderr, "error: %s\n", store.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(*store);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: artifact_store_bench <s3 endpoint> <bucket>\n");
    return 2;
  }
  TempDir dir;
  auto s3_options = [&](const std::string& cache) {
    store::S3ArtifactStoreOptions options;
    options.client.endpoint = argv[1];
    options.client.credentials = {"bench", "bench", ""};
    options.bucket = argv[2];
    options.prefix = "bench";
    options.cache_dir = dir.path() / cache;
    options.create_bucket = true;
    return options;
  };
  struct Size {
    const char* name;
    size_t bytes;
    int count;
  };
  std::printf("artifact store throughput, MiB/s (files of random bytes; S3: moto's server on loopback)\n");
  for (const Size& size : {Size{"1 MiB", 1u << 20, 32}, Size{"100 MiB", 100u << 20, 2}}) {
    std::vector<fs::path> files;
    Random random(static_cast<uint64_t>(size.bytes));
    for (int i = 0; i < size.count; ++i) {
      std::string bytes(size.bytes, '\0');
      for (size_t k = 0; k < bytes.size(); k += 8) {
        const uint64_t v = random.Next();
        std::memcpy(bytes.data() + k, &v, std::min<size_t>(8, bytes.size() - k));
      }
      files.push_back(dir.path() / "src" / (std::string(size.name) + std::to_string(i)));
      if (!WriteFileAtomic(files.back(), bytes).ok()) return 1;
    }
    const double mib = static_cast<double>(size.bytes) * size.count / (1 << 20);
    auto local = Must(store::OpenLocalArtifactStore(dir.path() / (std::string("local-") + size.name)));
    auto start = std::chrono::steady_clock::now();
    for (const fs::path& f : files) {
      if (!local->Put(f).ok()) return 1;
    }
    const double local_write = mib / Seconds(start);
    auto writer = Must(store::OpenS3ArtifactStore(s3_options(std::string("writer-") + size.name)));
    std::vector<std::string> digests;
    start = std::chrono::steady_clock::now();
    for (const fs::path& f : files) {
      auto record = writer->Put(f);
      if (!record.ok()) {
        std::fprintf(stderr, "error: %s\n", record.status().ToString().c_str());
        return 1;
      }
      digests.push_back(record->digest);
    }
    const double s3_write = mib / Seconds(start);
    auto reader = Must(store::OpenS3ArtifactStore(s3_options(std::string("reader-") + size.name)));
    start = std::chrono::steady_clock::now();
    for (const std::string& d : digests) {
      auto path = reader->LocalPath(d);
      if (!path.ok()) {
        std::fprintf(stderr, "error: %s\n", path.status().ToString().c_str());
        return 1;
      }
    }
    const double s3_read = mib / Seconds(start);
    std::printf("%3d x %-7s  local write %5.0f | S3 write %5.0f | S3 read, empty cache %5.0f\n", size.count, size.name,
                local_write, s3_write, s3_read);
  }
  return 0;
}
