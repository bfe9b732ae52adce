#pragma once

// The metadata store's conformance suite: every test written on StoreTest
// (TYPED_TEST_SUITE(Name, StoreBackends, BackendNames)) runs against every
// backend in StoreBackends (SQLite, PostgreSQL), and every backend must pass
// all of them.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_util.h"
#include "common/sha256.h"
#include "store/metadata_store.h"
#include "store/pg_test_server.h"
#include "store/store_url.h"

namespace grove::store {

// A backend's factory: Open(dir, options) opens the store kept for `dir`,
// creating it on first use. Opening the same `dir` again gives another
// connection to the same store, as another process would have one.
struct SqliteBackend {
  static constexpr const char* kName = "Sqlite";
  static Result<std::unique_ptr<MetadataStore>> Open(const std::filesystem::path& dir,
                                                     const MetadataStoreOptions& options) {
    return OpenSqliteMetadataStore((dir / "grove.db").string(), options);
  }
};

// PostgreSQL: one database per test folder, on the test process's server
// (store/pg_test_server.h), created by the store on first use.
struct PostgresBackend {
  static constexpr const char* kName = "Postgres";
  static Result<std::unique_ptr<MetadataStore>> Open(const std::filesystem::path& dir,
                                                     const MetadataStoreOptions& options) {
    std::string database = "t_" + Sha256::Of(dir.string()).substr(0, 16);
    auto opened = OpenMetadataStore(PgTestServer::UrlOf(database), options);
    if (!opened.ok() && !PgTestServer::error().empty()) return opened.status().WithContext(PgTestServer::error());
    return opened;
  }
};

using StoreBackends = ::testing::Types<SqliteBackend, PostgresBackend>;

// Names each instantiation after its backend ("Sqlite", "Postgres").
struct BackendNames {
  template <typename Backend>
  static std::string GetName(int) {
    return Backend::kName;
  }
};

// A fresh store per test, with a fake clock and fake lease owners, and helpers
// that create the rows most tests need.
template <typename Backend>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = Open(); }

  // Another connection to the test's store (the first one is `store_`).
  std::unique_ptr<MetadataStore> Open() {
    auto opened = Backend::Open(dir_.path(), {&clock_, &owners_});
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  // TransactValue and ReadValue on `store_`.
  template <typename Fn>
  auto Transact(Fn&& body) {
    return TransactValue(*store_, std::forward<Fn>(body));
  }
  template <typename Fn>
  auto Read(Fn&& body) {
    return ReadValue(*store_, std::forward<Fn>(body));
  }

  // Stores a one-line definition of `pipeline` and returns its version.
  int PutPipeline(const std::string& pipeline, const std::string& body = "steps: []") {
    DefinitionRecord def;
    def.pipeline = pipeline;
    def.body = body;
    def.source_path = pipeline + ".yaml";
    auto version = store_->PutDefinition(def, "");
    EXPECT_TRUE(version.ok()) << version.status().ToString();
    return version.ok() ? *version : 0;
  }

  // Creates an Executing execution `id` of a stored pipeline "p".
  ExecutionRecord MakeExecution(const std::string& id, TimeMs started_at = 0) {
    ExecutionRecord e;
    e.id = id;
    e.pipeline = "p";
    e.version = PutPipeline("p");
    e.status = kExecuting;
    // Json{...}, not a bare braced list: assigned to a Json inside a template, a braced list makes clang 14 leak
    // the value it replaces (LeakSanitizer, make test-asan); the store's typed tests all write it this way.
    e.parameters = Json{{"Threshold", 6.5}};
    e.started_at = started_at;
    Status s = store_->CreateExecution(e);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return e;
  }

  StepRunRecord MakeRun(const std::string& execution_id, const std::string& step, const std::string& status) {
    StepRunRecord run;
    run.execution_id = execution_id;
    run.step_name = step;
    run.step_type = "Processing";
    run.status = status;
    run.attempts = 1;
    run.started_at = clock_.Now();
    return run;
  }

  // Stores the next version of `group` (creating the group) through the rows
  // alone, as the registry would; returns its number, or -1 on error.
  int AddVersionRow(MetadataStore& store, const std::string& group, const std::string& status = kApproved,
                    const std::string& step_name = "") {
    auto added = TransactValue(store, [&](StoreTransaction& txn) -> Result<int> {
      ASSIGN_OR_RETURN(std::optional<ModelGroupRecord> found, txn.FindModelGroup(group));
      if (!found) RETURN_IF_ERROR(txn.PutModelGroup({group, "", 0, clock_.Now()}));
      ModelVersionRecord v;
      v.group = group;
      ASSIGN_OR_RETURN(v.version, txn.NextModelVersion(group));
      v.approval_status = status;
      v.model_digest = Sha256::Of(group);
      v.step_name = step_name;
      v.created_at = clock_.Now();
      RETURN_IF_ERROR(txn.PutModelVersion(v));
      return v.version;
    });
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? *added : -1;
  }
  int AddVersionRow(const std::string& group, const std::string& status = kApproved) {
    return AddVersionRow(*store_, group, status);
  }

  // All events, oldest first.
  std::vector<EventRecord> Events() {
    auto events = store_->ListEvents(0, 0);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    return events.ok() ? *events : std::vector<EventRecord>{};
  }

  TempDir dir_;
  FakeClock clock_;
  FakeOwnerLiveness owners_;
  std::unique_ptr<MetadataStore> store_;
};

// Runs `child(i)` for i in [0, n) in n processes forked at once, and expects
// each to return true. The children must open their own store connections
// (none crosses fork()).
inline void RunInProcesses(int n, const std::function<bool(int)>& child) {
  std::vector<pid_t> children;
  for (int i = 0; i < n; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) _exit(child(i) ? 0 : 1);
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child failed, status " << status;
  }
}

// A digest for records that need one, made from a short tag.
inline std::string FakeDigest(const std::string& tag) { return Sha256::Of(tag); }

inline ArtifactRecord FakeArtifact(const std::string& tag) {
  ArtifactRecord a;
  a.digest = FakeDigest(tag);
  a.uri = "file:///artifacts/" + a.digest;
  a.size_bytes = static_cast<int64_t>(tag.size());
  return a;
}

}  // namespace grove::store
