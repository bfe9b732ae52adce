#include "store/sqlite_cursor.h"

#include <gtest/gtest.h>

#include <string>

#include "common/file_util.h"

namespace grove::store {
namespace {

// A write on a read-only data folder (tests/python/disk_faults_test.py) used to fail with the whole INSERT's
// column list and SQLite's "attempt to write a readonly database", naming neither the file nor what to do.
TEST(SqliteCursorTest, AWriteToAReadOnlyDatabaseNamesItsFileAndWhatToDo) {
  TempDir dir;
  const std::string path = (dir.path() / "grove.db").string();
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer,
                         "CREATE TABLE executions (id TEXT, pipeline TEXT, version INTEGER, status TEXT, "
                         "parameters TEXT, failure_reason TEXT)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(writer);

  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  const std::string sql =
      "INSERT INTO executions (id, pipeline, version, status, parameters, failure_reason) "
      "VALUES ('a', 'p', 1, 'Executing', '{}', '')";
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(reader, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  {
    SqliteCursor cursor(stmt);
    Result<bool> stepped = cursor.Step();
    ASSERT_FALSE(stepped.ok());
    const std::string message = stepped.status().message();
    EXPECT_NE(message.find("on " + path), std::string::npos) << message;
    EXPECT_NE(message.find("readonly database"), std::string::npos) << message;
    EXPECT_NE(message.find("its folder is read-only"), std::string::npos) << message;
    EXPECT_NE(message.find("'INSERT INTO executions (id, pipeline, version, status, param...'"), std::string::npos)
        << message;
    EXPECT_EQ(message.find("failure_reason"), std::string::npos) << "the whole column list: " << message;
  }
  sqlite3_close(reader);
}

TEST(SqliteCursorTest, AFullDiskSaysSo) {
  Status full = SqliteStatus(SQLITE_FULL, "cannot commit to /data/grove.db: database or disk is full");
  EXPECT_EQ(full.code(), StatusCode::kIOError);
  EXPECT_NE(full.message().find("no space left on device"), std::string::npos) << full.ToString();
}

}  // namespace
}  // namespace grove::store
