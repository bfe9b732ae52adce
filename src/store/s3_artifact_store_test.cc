// The S3 artifact store against moto's S3 server (python3 -m moto.server, from the python3 first on PATH),
// started on a free loopback port for this test binary.
#include "store/s3_artifact_store.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/file_util.h"
#include "common/sha256.h"
#include "store/store_url.h"

namespace grove::store {
namespace {

namespace fs = std::filesystem;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// moto's S3 server for the whole test binary.
class MotoServer {
 public:
  static MotoServer& Get() {
    static MotoServer server;
    return server;
  }
  bool running() const { return running_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  MotoServer() {
    if (std::system("python3 -c 'import moto.server' >/dev/null 2>&1") != 0) return;
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
      const std::string port = std::to_string(port_);
      execlp("python3", "python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", port.c_str(), nullptr);
      _exit(127);
    }
    S3ClientOptions options;
    options.endpoint = endpoint();
    options.credentials = {"testing", "testing", ""};
    options.max_attempts = 1;
    S3Client client(options);
    for (int i = 0; i < 300 && !running_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      running_ = client.CreateBucket("probe").ok();
    }
  }
  ~MotoServer() {
    if (pid_ > 0) {
      kill(-pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port_ = 0;
  pid_t pid_ = -1;
  bool running_ = false;
};

class S3ArtifactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!MotoServer::Get().running()) GTEST_SKIP() << "moto's S3 server (python3 -m moto.server) is not installed";
  }

  S3ArtifactStoreOptions Options(const std::string& cache) {
    S3ArtifactStoreOptions options;
    options.client.endpoint = MotoServer::Get().endpoint();
    options.client.credentials = {"AKIDTEST", "secret", ""};
    options.client.part_size = 5 << 20;
    options.bucket = "grove-artifacts";
    options.prefix = "prod/";
    options.cache_dir = dir_.path() / cache;
    options.create_bucket = true;
    return options;
  }

  std::unique_ptr<ArtifactStore> Open(const std::string& cache) {
    auto store = OpenS3ArtifactStore(Options(cache));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  TempDir dir_;
};

TEST_F(S3ArtifactStoreTest, AnotherMachineReadsWhatOneWrote) {
  auto a = Open("cache-a");
  auto b = Open("cache-b");  // Another machine: its own empty cache.
  ASSERT_TRUE(a && b);
  auto record = a->PutBytes("hello, bucket\n");
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->digest, Sha256::Of("hello, bucket\n"));
  EXPECT_EQ(record->uri, "s3://grove-artifacts/prod/sha256/" + record->digest.substr(0, 2) + "/" + record->digest);
  EXPECT_TRUE(b->Contains(record->digest));
  auto path = b->LocalPath(record->digest);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(ReadFile(*path).value(), "hello, bucket\n");
  EXPECT_TRUE(fs::exists(dir_.path() / "cache-b"));
}

TEST_F(S3ArtifactStoreTest, OpensFromAnS3UrlWithCredentialsFromTheEnvironment) {
  setenv("AWS_ACCESS_KEY_ID", "AKIDURL", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  ArtifactStoreOptions options;
  options.s3_endpoint = MotoServer::Get().endpoint();
  options.cache_dir = dir_.path() / "url-cache";
  ASSERT_TRUE(Open("cache-a"));  // Creates the bucket.
  auto store = OpenArtifactStore("s3://grove-artifacts/by-url", options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto record = (*store)->PutBytes("through a URL");
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->uri.rfind("s3://grove-artifacts/by-url/sha256/", 0), 0u) << record->uri;
}

TEST_F(S3ArtifactStoreTest, FoldersAndLargeFilesInParts) {
  auto a = Open("cache-a");
  auto b = Open("cache-b");
  ASSERT_TRUE(a && b);
  fs::path tree = dir_.path() / "src" / "model";
  ASSERT_TRUE(WriteFileAtomic(tree / "model.json", "{\"trees\": 3}").ok());
  ASSERT_TRUE(WriteFileAtomic(tree / "meta" / "schema.json", "{}").ok());
  std::string large(12 << 20, '\0');  // Three parts of 5 MiB or less.
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>((i * 2654435761u) >> 13);
  ASSERT_TRUE(WriteFileAtomic(tree / "weights.bin", large).ok());
  auto folder = a->Put(tree);
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  EXPECT_TRUE(folder->is_directory);
  auto copy = b->LocalPath(folder->digest);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  EXPECT_EQ(Sha256Tree(*copy).value(), folder->digest);
  EXPECT_EQ(ReadFile(*copy / "weights.bin").value(), large);

  auto big = a->Put(tree / "weights.bin");
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  auto fetched = Open("cache-c")->LocalPath(big->digest);
  ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
  EXPECT_EQ(Sha256File(*fetched).value(), big->digest);
}

// Regression (found while adding S3 to tests/crash): downloads were written to <cache>/incoming/, which nothing
// cleaned, so a process killed part way through one left its partial copy there for good, unseen by grove doctor.
// They are now written under the local copies' temporary folder, like an unfinished Put.
TEST_F(S3ArtifactStoreTest, ADownloadKilledPartWayLeavesItsPartialCopyInTheTemporaryFolder) {
  auto a = Open("cache-a");
  ASSERT_TRUE(a);
  fs::path tree = dir_.path() / "src" / "many";
  ASSERT_TRUE(MakeDirs(tree).ok());
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(WriteFile(tree / ("part-" + std::to_string(i)), std::to_string(i)).ok());
  auto folder = a->Put(tree);
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  const fs::path cache = dir_.path() / "cache-b";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // Another process on another machine, downloading 300 objects.
    auto b = OpenS3ArtifactStore(Options("cache-b"));
    if (b.ok()) (void)(*b)->LocalPath(folder->digest);
    _exit(0);
  }
  // Kill it once the first objects have arrived.
  auto partial = [&]() -> fs::path {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(cache, ec), end; it != end; it.increment(ec)) {
      if (ec) break;
      if (it->path().filename().string().rfind("part-", 0) == 0) return it->path();
    }
    return {};
  };
  fs::path seen;
  for (int i = 0; i < 20000 && seen.empty(); ++i) {
    seen = partial();
    if (seen.empty()) usleep(500);
  }
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  ASSERT_FALSE(seen.empty()) << "the download did not start";
  auto b = Open("cache-b");
  ASSERT_TRUE(b);
  ASSERT_FALSE(fs::exists(cache / "sha256" / folder->digest.substr(0, 2) / folder->digest))
      << "the download finished before the kill";
  std::vector<fs::path> temps = b->TempFolders();
  ASSERT_EQ(temps.size(), 1u);
  // Everything the killed download left is under the temporary folder.
  std::error_code ec;
  for (fs::directory_iterator it(cache, ec), end; it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    EXPECT_TRUE(name == "sha256" || name == "tmp" || name == "derived")
        << "left outside the temporary folder: " << it->path();
  }
  EXPECT_FALSE(fs::is_empty(temps[0]));
}

TEST_F(S3ArtifactStoreTest, LocalCopiesStayWithinTheirBoundAndComeBackOnUse) {
  S3ArtifactStoreOptions options = Options("bounded");
  options.cache_bytes = 3 << 20;
  auto store = OpenS3ArtifactStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::vector<std::string> digests;
  for (int i = 0; i < 5; ++i) {
    auto record = (*store)->PutBytes(std::string(1 << 20, static_cast<char>('a' + i)));
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    digests.push_back(record->digest);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // Distinct use times.
  }
  auto cached = [&](const std::string& d) {
    return fs::exists(dir_.path() / "bounded" / "sha256" / d.substr(0, 2) / d);
  };
  uint64_t total = 0;
  for (auto& f : fs::recursive_directory_iterator(dir_.path() / "bounded" / "sha256")) {
    if (f.is_regular_file()) total += f.file_size();
  }
  EXPECT_LE(total, options.cache_bytes);
  EXPECT_FALSE(cached(digests[0]));  // The oldest went first,
  EXPECT_TRUE(cached(digests[4]));   // the newest stayed.
  auto again = (*store)->LocalPath(digests[0]);  // From the bucket again.
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ReadFile(*again).value(), std::string(1 << 20, 'a'));
}

TEST_F(S3ArtifactStoreTest, DerivedFilesLiveBesideTheLocalCopiesOutsideTheirBound) {
  S3ArtifactStoreOptions options = Options("derived-cache");
  options.cache_bytes = 2 << 20;
  auto store = OpenS3ArtifactStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  fs::path derived = (*store)->DerivedFolder();
  EXPECT_EQ(derived, dir_.path() / "derived-cache" / "derived");
  ASSERT_TRUE(WriteFileAtomic(derived / "compiled", std::string(1 << 20, 'c')).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*store)->PutBytes(std::string(1 << 20, static_cast<char>('a' + i))).ok());
  EXPECT_TRUE(fs::exists(derived / "compiled"));  // Trimming the copies never removes derived files.
}

TEST_F(S3ArtifactStoreTest, MissingCorruptAndUnreachable) {
  auto a = Open("cache-a");
  ASSERT_TRUE(a);
  const std::string absent(64, 'a');
  EXPECT_FALSE(a->Contains(absent));
  EXPECT_EQ(a->LocalPath(absent).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a->LocalPath("../../etc/passwd").status().code(), StatusCode::kInvalidArgument);

  // An object whose bytes do not match its name is refused, not cached.
  S3ClientOptions options = Options("x").client;
  S3Client client(options);
  const std::string digest = Sha256::Of("the real bytes");
  ASSERT_TRUE(client.PutBytes("grove-artifacts", "prod/sha256/" + digest.substr(0, 2) + "/" + digest, "tampered").ok());
  auto corrupt = a->LocalPath(digest);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_NE(corrupt.status().message().find("corrupt"), std::string::npos) << corrupt.status().ToString();
  EXPECT_FALSE(fs::exists(dir_.path() / "cache-a" / "sha256" / digest.substr(0, 2) / digest));

  // Nobody listening: an error after the retries, naming the request.
  S3ArtifactStoreOptions gone = Options("cache-gone");
  gone.client.endpoint = "http://127.0.0.1:" + std::to_string(FreePort());
  gone.client.max_attempts = 2;
  gone.client.first_backoff_ms = 1;
  gone.create_bucket = false;
  auto unreachable = OpenS3ArtifactStore(gone);
  ASSERT_TRUE(unreachable.ok());
  auto put = (*unreachable)->PutBytes("x");
  ASSERT_FALSE(put.ok());
  EXPECT_NE(put.status().message().find("after 2 attempts"), std::string::npos) << put.status().ToString();
}

}  // namespace
}  // namespace grove::store
