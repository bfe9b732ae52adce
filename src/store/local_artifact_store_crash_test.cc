// Durability of the local artifact store, for every way content comes in
// (Put of a file or a tree, PutByMove of a file or a tree: the paths step
// outputs take): what is fsynced before and after the rename into place, and
// what a process killed at any point of a Put leaves behind.
#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <set>

#include "common/sha256.h"
#include "store/local_artifact_store.h"
#include "store/local_artifact_store_fixture.h"

namespace grove::store {
namespace {

namespace fs = std::filesystem;

// Observes every fsync of this test binary. The store calls ::fsync; the
// definition of fsync below, in the executable, takes precedence over the C
// library's, so this seam needs no change to the store.
struct FsyncSpy {
  std::mutex mutex;
  bool recording = false;          // Guarded by mutex.
  std::vector<std::string> log;    // Guarded by mutex: synced paths, and "@<point>" for store hooks.
  std::function<void()> after_fsync;  // Set only in forked children, which are single-threaded.
};

FsyncSpy& Spy() {
  static FsyncSpy spy;
  return spy;
}

void RecordSync(std::string entry) {
  std::lock_guard<std::mutex> lock(Spy().mutex);
  if (Spy().recording) Spy().log.push_back(std::move(entry));
}

std::string PathOfDescriptor(int fd) {
  char target[4096];
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(link.c_str(), target, sizeof(target));
  return n < 0 ? "<fd " + std::to_string(fd) + ">" : std::string(target, static_cast<size_t>(n));
}

}  // namespace
}  // namespace grove::store

extern "C" int fsync(int fd) {
  static auto* real_fsync = reinterpret_cast<int (*)(int)>(dlsym(RTLD_NEXT, "fsync"));
  grove::store::RecordSync(grove::store::PathOfDescriptor(fd));
  int rc = real_fsync(fd);
  if (grove::store::Spy().after_fsync) grove::store::Spy().after_fsync();
  return rc;
}

namespace grove::store {
namespace {

enum class Op { kPutFile, kPutDirectory, kPutByMoveFile, kPutByMoveDirectory };

const char* OpLabel(Op op) {
  switch (op) {
    case Op::kPutFile: return "PutFile";
    case Op::kPutDirectory: return "PutDirectory";
    case Op::kPutByMoveFile: return "PutByMoveFile";
    case Op::kPutByMoveDirectory: return "PutByMoveDirectory";
  }
  return "?";
}
void PrintTo(Op op, std::ostream* out) { *out << OpLabel(op); }
std::string OpName(const ::testing::TestParamInfo<Op>& info) { return OpLabel(info.param); }

class ArtifactDurabilityTest : public LocalArtifactStoreTest, public ::testing::WithParamInterface<Op> {
 protected:
  bool by_move() const { return GetParam() == Op::kPutByMoveFile || GetParam() == Op::kPutByMoveDirectory; }
  bool directory() const { return GetParam() == Op::kPutDirectory || GetParam() == Op::kPutByMoveDirectory; }

  // The same content at src()/name every time: a file of several copy chunks,
  // or a tree holding one in nested folders beside small and empty files.
  fs::path MakeSource(const std::string& name) {
    std::string big;
    for (int i = 0; big.size() < 200'000; ++i) big += "row " + std::to_string(i) + "\n";
    fs::path source = src() / name;
    if (!directory()) {
      WriteText(source, big);
      return source;
    }
    WriteText(source / "train.csv", big);
    WriteText(source / "model.json", "{}");
    WriteText(source / "meta" / "schema.json", "{\"cols\": 2}");
    WriteText(source / "meta" / "deeper" / "empty.txt", "");
    return source;
  }

  Result<ArtifactRecord> Apply(ArtifactStore* store, const fs::path& source) {
    return by_move() ? store->PutByMove(source) : store->Put(source);
  }

  // `synced`, a path under root/tmp, relative to the artifact being built
  // there ("" for the artifact itself); nullopt for paths elsewhere.
  std::optional<std::string> InArtifact(const fs::path& synced) const {
    fs::path relative = synced.lexically_relative(fs::canonical(root() / "tmp"));
    if (relative.empty() || *relative.begin() == "..") return std::nullopt;
    auto part = relative.begin();
    ++part;  // The temporary's own name (put-XXXXXX, dir-XXXXXX).
    if (by_move() && part != relative.end()) ++part;  // PutByMove's holder/"content".
    fs::path inside;
    for (; part != relative.end(); ++part) inside /= *part;
    return inside.generic_string();
  }

  // Every stored file and folder, relative to the artifact ("" for itself).
  static std::set<std::string> ArtifactEntries(const fs::path& stored) {
    std::set<std::string> entries = {""};
    if (!fs::is_directory(stored)) return entries;
    for (const auto& e : fs::recursive_directory_iterator(stored)) {
      entries.insert(e.path().lexically_relative(stored).generic_string());
    }
    return entries;
  }

  // Whatever sits under root/sha256 is complete: its content hashes to its name.
  void ExpectEveryStoredArtifactVerifies() {
    for (const fs::path& entry : StoredEntries(root())) {
      auto digest = Sha256Path(entry);
      ASSERT_TRUE(digest.ok()) << digest.status().ToString();
      EXPECT_EQ(*digest, entry.filename().string()) << "corrupt artifact " << entry;
    }
  }

  // Leftovers under root/tmp, once old enough, go when a store opens.
  void ExpectLeftoversAreCleanedUp() {
    auto long_ago = fs::file_time_type::clock::now() - std::chrono::hours(2);
    for (const auto& e : fs::recursive_directory_iterator(root() / "tmp")) fs::last_write_time(e.path(), long_ago);
    for (const auto& e : fs::directory_iterator(root() / "tmp")) fs::last_write_time(e.path(), long_ago);
    store_ = Open();
    EXPECT_TRUE(fs::is_empty(root() / "tmp"));
  }

  // Killed before it published, PutByMove has taken the source away: the
  // content must still exist somewhere (the source or under root/tmp).
  void ExpectMovedContentNotLost(const fs::path& source, const std::string& digest) {
    if (fs::exists(source)) {
      EXPECT_EQ(*Sha256Path(source), digest) << "a torn source";
      return;
    }
    bool kept = false;
    for (const auto& e : fs::directory_iterator(root() / "tmp")) {
      auto held = Sha256Path(e.path() / "content");
      kept = kept || (held.ok() && *held == digest);
    }
    EXPECT_TRUE(kept) << "the source was consumed but its content is nowhere";
  }
};

TEST_P(ArtifactDurabilityTest, SyncsTheContentBeforeTheRenameAndItsFolderAfter) {
  fs::path source = MakeSource("out");
  std::string digest = *Sha256Path(source);
  LocalArtifactStoreOptions options;
  options.test_hook = [](std::string_view point) { RecordSync("@" + std::string(point)); };
  store_ = Open(options);
  {
    std::lock_guard<std::mutex> lock(Spy().mutex);
    Spy().log.clear();
    Spy().recording = true;
  }
  auto record = Apply(store_.get(), source);
  std::vector<std::string> log;
  {
    std::lock_guard<std::mutex> lock(Spy().mutex);
    Spy().recording = false;
    log.swap(Spy().log);
  }
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  ASSERT_EQ(record->digest, digest);
  auto before_publish = std::find(log.begin(), log.end(), "@before_publish");
  auto published = std::find(log.begin(), log.end(), "@published");
  ASSERT_LT(before_publish, published) << ::testing::PrintToString(log);

  // Every file's bytes and every folder's entries are durable before the
  // artifact can be seen under its digest.
  std::set<std::string> synced_early;
  for (auto it = log.begin(); it != before_publish; ++it) {
    if (auto inside = InArtifact(*it)) synced_early.insert(*inside);
  }
  fs::path stored = fs::canonical(*store_->LocalPath(digest));
  EXPECT_EQ(synced_early, ArtifactEntries(stored)) << ::testing::PrintToString(log);
  // The new shard folder's own entry is durable before anything is renamed into it...
  EXPECT_THAT(std::vector<std::string>(before_publish, published),
              ::testing::Contains(fs::canonical(root() / "sha256").string()));
  // ...and the rename itself after it.
  EXPECT_THAT(std::vector<std::string>(published, log.end()),
              ::testing::Contains(stored.parent_path().string()));
}

// A child process runs the operation and is killed at its k-th crash point
// (each hook call and each fsync), for every k: whatever is stored verifies,
// nothing is lost, leftovers are cleaned up, and the operation can be redone.
TEST_P(ArtifactDurabilityTest, KilledAtAnyPointLeavesNoPartialArtifact) {
  int points = 0;
  std::string digest;
  {
    LocalArtifactStoreOptions options;
    options.test_hook = [&](std::string_view) { ++points; };
    store_ = Open(options);
    Spy().after_fsync = [&] { ++points; };
    auto record = Apply(store_.get(), MakeSource("count"));
    Spy().after_fsync = nullptr;
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    digest = record->digest;
  }
  ASSERT_GE(points, 4);
  bool killed_before_publish = false, killed_after_publish = false;
  for (int k = 1; k <= points; ++k) {
    SCOPED_TRACE("killed at crash point " + std::to_string(k) + " of " + std::to_string(points));
    store_.reset();
    fs::remove_all(root());
    fs::remove_all(src());
    fs::path source = MakeSource("out");
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int seen = 0;
      auto crash_point = [&seen, k] {
        if (++seen == k) raise(SIGKILL);
      };
      LocalArtifactStoreOptions options;
      options.test_hook = [&](std::string_view) { crash_point(); };
      Spy().after_fsync = crash_point;
      auto store = OpenLocalArtifactStore(root(), options);
      if (store.ok()) (void)Apply(store->get(), source);
      _exit(3);  // Not reached when the k-th point is reached.
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child ended with status " << status;

    store_ = Open();
    bool stored = store_->Contains(digest);
    (stored ? killed_after_publish : killed_before_publish) = true;
    ExpectEveryStoredArtifactVerifies();
    if (!by_move()) {
      EXPECT_EQ(*Sha256Path(source), digest) << "Put changed its source";
    } else if (!stored) {
      ExpectMovedContentNotLost(source, digest);
    }
    ExpectLeftoversAreCleanedUp();
    EXPECT_EQ(store_->Contains(digest), stored) << "cleaning up removed a stored artifact";

    auto again = Apply(store_.get(), MakeSource("again"));
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->digest, digest);
    EXPECT_EQ(*Sha256Path(*store_->LocalPath(digest)), digest);
    EXPECT_EQ(StoredEntries(root()).size(), 1u);
    EXPECT_TRUE(fs::is_empty(root() / "tmp"));
  }
  EXPECT_TRUE(killed_before_publish);
  EXPECT_TRUE(killed_after_publish);
}

INSTANTIATE_TEST_SUITE_P(Ops, ArtifactDurabilityTest,
                         ::testing::Values(Op::kPutFile, Op::kPutDirectory, Op::kPutByMoveFile,
                                           Op::kPutByMoveDirectory),
                         OpName);

}  // namespace
}  // namespace grove::store
