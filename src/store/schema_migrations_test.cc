#include "store/schema_migrations.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/file_util.h"
#include "store/sqlite_metadata_store.h"

namespace grove::store {
namespace {

// Reads one integer from `sql` in a read transaction.
int64_t QueryInt(SqliteDb& db, const char* sql) {
  auto value = db.Read([&]() -> Result<int64_t> {
    ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Internal("no row");
    return stmt.Int64(0);
  });
  EXPECT_TRUE(value.ok()) << value.status().ToString();
  return value.ok() ? *value : -1;
}

int SchemaVersionOf(SqliteDb& db) {
  auto v = db.Read([&] { return CurrentSchemaVersion(db); });
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : -1;
}

class MigrationsTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteDb> OpenDb() {
    auto db = SqliteDb::Open((dir_.path() / "m.db").string());
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }
  TempDir dir_;
};

// Two steps where re-running the first would fail (the table exists), and the
// second leaves a row that counts how often it ran.
const std::vector<Migration> kTwoSteps = {
    {1, "create t", "CREATE TABLE t (x INTEGER)"},
    {2, "fill t", "INSERT INTO t (x) VALUES (42)"},
};

TEST_F(MigrationsTest, FreshFileGetsEveryStepAndRecordsTheVersion) {
  auto db = OpenDb();
  ASSERT_TRUE(Migrate(*db, kTwoSteps, 1234).ok());
  EXPECT_EQ(SchemaVersionOf(*db), 2);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 1);
  EXPECT_EQ(QueryInt(*db, "SELECT applied_at FROM schema_version WHERE version = 2"), 1234);
}

TEST_F(MigrationsTest, ExistingFileGetsOnlyTheMissingSteps) {
  {
    auto db = OpenDb();
    std::vector<Migration> first_only = {kTwoSteps[0]};
    ASSERT_TRUE(Migrate(*db, first_only, 1).ok());
    EXPECT_EQ(SchemaVersionOf(*db), 1);
  }
  auto db = OpenDb();
  Status s = Migrate(*db, kTwoSteps, 2);
  ASSERT_TRUE(s.ok()) << s.ToString();  // Step 1 ran again would fail: table t exists.
  EXPECT_EQ(SchemaVersionOf(*db), 2);
  ASSERT_TRUE(Migrate(*db, kTwoSteps, 3).ok());  // Idempotent.
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 1);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM schema_version"), 2);
}

TEST_F(MigrationsTest, FailingStepRollsBackAndLeavesTheVersion) {
  auto db = OpenDb();
  std::vector<Migration> broken = {kTwoSteps[0],
                                   {2, "broken", "CREATE TABLE u (y INTEGER); INSERT INTO nope VALUES (1)"}};
  Status s = Migrate(*db, broken, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("schema migration 2"), std::string::npos) << s.message();
  EXPECT_EQ(SchemaVersionOf(*db), 1);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'u'"), 0);
}

TEST_F(MigrationsTest, StoreNewerThanTheBinaryIsAnError) {
  auto db = OpenDb();
  ASSERT_TRUE(Migrate(*db, kTwoSteps, 1).ok());
  std::vector<Migration> older = {kTwoSteps[0]};
  Status s = Migrate(*db, older, 2);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("schema version 2, newer than this grove binary knows (1)"), std::string::npos)
      << s.message();
}

TEST_F(MigrationsTest, MetadataStoreOpensFreshAndExistingFiles) {
  std::string path = (dir_.path() / "grove.db").string();
  FakeClock clock;
  {
    auto store = OpenSqliteMetadataStore(path, &clock);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    DefinitionRecord def{"p", 0, "", "steps: []", "p.yaml", 0};
    ASSERT_TRUE((*store)->PutDefinition(def, "").ok());
  }
  auto reopened = OpenSqliteMetadataStore(path, &clock);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->GetPipeline("p")->latest_version, 1);  // Data survived; nothing re-created.
  auto raw = SqliteDb::Open(path);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(SchemaVersionOf(**raw), SchemaMigrations().back().version);
  EXPECT_EQ(QueryInt(**raw, "SELECT COUNT(*) FROM schema_version"),
            static_cast<int64_t>(SchemaMigrations().size()));
}

TEST_F(MigrationsTest, MetadataStoreRefusesANewerFile) {
  std::string path = (dir_.path() / "grove.db").string();
  {
    auto raw = SqliteDb::Open(path);
    ASSERT_TRUE(raw.ok());
    std::vector<Migration> future = SchemaMigrations();
    future.push_back({future.back().version + 1, "from the future", "CREATE TABLE future (x INTEGER)"});
    ASSERT_TRUE(Migrate(**raw, future, 1).ok());
  }
  auto store = OpenSqliteMetadataStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("use a newer grove binary"), std::string::npos);
}

TEST_F(MigrationsTest, ConnectionUsesWalAndForeignKeys) {
  auto db = OpenDb();
  EXPECT_EQ(QueryInt(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(QueryInt(*db, "PRAGMA synchronous"), 1);  // NORMAL.
  auto mode = db->Read([&]() -> Result<std::string> {
    ASSIGN_OR_RETURN(Statement stmt, db->Prepare("PRAGMA journal_mode"));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? stmt.Text(0) : std::string();
  });
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode, "wal");
}

}  // namespace
}  // namespace grove::store
