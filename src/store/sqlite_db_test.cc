#include "store/sqlite_db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "common/file_util.h"
#include "common/test_util.h"

namespace grove::store {
namespace {

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (dir_.path() / "db.sqlite").string();
    auto db = SqliteDb::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Write([&] { return db_->Exec("CREATE TABLE t (x INTEGER UNIQUE)"); }).ok());
  }

  Status Insert(int x) {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare("INSERT INTO t (x) VALUES (?)"));
    return insert.BindAll(x).Run();
  }

  int64_t Count() {
    auto n = db_->Read([&]() -> Result<int64_t> {
      ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT COUNT(*) FROM t"));
      ASSIGN_OR_RETURN(bool row, select.Step());
      return row ? select.Int64(0) : -1;
    });
    return n.ok() ? *n : -1;
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(SqliteDbTest, AnErrorRollsBackTheWholeTransaction) {
  Status s = db_->Write([&]() -> Status {
    RETURN_IF_ERROR(Insert(1));
    RETURN_IF_ERROR(Insert(2));
    return Status::FailedPrecondition("changed my mind");
  });
  EXPECT_EQ(s.message(), "changed my mind");
  EXPECT_EQ(Count(), 0);
  // A constraint violation is FailedPrecondition and undoes the earlier insert too.
  Status dup = db_->Write([&]() -> Status {
    RETURN_IF_ERROR(Insert(3));
    return Insert(3);
  });
  EXPECT_EQ(dup.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count(), 0);
  EXPECT_TRUE(db_->Write([&] { return Insert(4); }).ok());  // The connection is usable again.
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteDbTest, AnExceptionInTheBodyDoesNotLeaveTheTransactionOpen) {
  EXPECT_THROW(db_->Write([&]() -> Status {
    (void)Insert(1);
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(Count(), 0);
  EXPECT_TRUE(db_->Write([&] { return Insert(2); }).ok());
}

TEST_F(SqliteDbTest, ResultValuesPassThrough) {
  auto r = db_->Write([&]() -> Result<std::string> {
    RETURN_IF_ERROR(Insert(7));
    return std::string("seven");
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "seven");
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteDbTest, TheSameStatementCanBeUsedNested) {
  ASSERT_TRUE(db_->Write([&] { return Insert(1); }).ok());
  ASSERT_TRUE(db_->Write([&] { return Insert(2); }).ok());
  auto pairs = db_->Read([&]() -> Result<int> {
    const char* sql = "SELECT x FROM t ORDER BY x";
    ASSIGN_OR_RETURN(Statement outer, db_->Prepare(sql));
    int n = 0;
    while (true) {
      ASSIGN_OR_RETURN(bool row, outer.Step());
      if (!row) return n;
      ASSIGN_OR_RETURN(Statement inner, db_->Prepare(sql));  // The cached one is busy.
      while (true) {
        ASSIGN_OR_RETURN(bool inner_row, inner.Step());
        if (!inner_row) break;
        ++n;
      }
    }
  });
  ASSERT_TRUE(pairs.ok()) << pairs.status().ToString();
  EXPECT_EQ(*pairs, 4);
}

// Another connection (as another process would) holds the write lock until
// told to let go; a write waits for it instead of failing.
TEST_F(SqliteDbTest, WriteWaitsForAnotherConnectionsTransaction) {
  auto other = SqliteDb::Open(path_);
  ASSERT_TRUE(other.ok());
  std::atomic<bool> holding{false}, release{false};
  std::thread holder([&] {
    Status s = (*other)->Write([&] {
      Status inserted = (*other)->Exec("INSERT INTO t (x) VALUES (100)");  // Takes the write lock.
      holding = true;
      WaitUntil([&] { return release.load(); });
      return inserted;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  ASSERT_TRUE(WaitUntil([&] { return holding.load(); }));
  auto writer = std::async(std::launch::async, [&] { return db_->Write([&] { return Insert(1); }); });
  // Still waiting while the lock is held (a busy error would end it at once).
  EXPECT_EQ(writer.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  release = true;
  holder.join();
  Status s = writer.get();
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Count(), 2);
}

}  // namespace
}  // namespace grove::store
