#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>

#include "common/status.h"
#include "store/sql_statement.h"

namespace grove::store {

// Turns an SQLite result code into a Status: constraint violations are
// FailedPrecondition, a lock held too long is IOError, anything else IOError.
Status SqliteError(sqlite3* db, int rc, std::string_view what);
// The same mapping of `rc`, with the whole message given. A full disk and a
// read-only file say so, and what to do, whatever SQLite's own words.
Status SqliteStatus(int rc, std::string message);

// A statement as error messages name it: the start of its SQL (a long column
// list cut short) and the database file it ran on, e.g.
// "'INSERT INTO executions (id, ...' on /data/grove.db".
std::string StatementForMessage(sqlite3_stmt* stmt);

// A prepared SQLite statement (StatementCursor). Owns and finalizes `stmt`.
class SqliteCursor : public StatementCursor {
 public:
  explicit SqliteCursor(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteCursor() override { sqlite3_finalize(stmt_); }
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;

  void BindText(int index, std::string_view text) override;
  void BindInt64(int index, int64_t value) override;
  void BindDouble(int index, double value) override;
  void BindNull(int index) override;
  Result<bool> Step() override;
  int Changes() const override;
  bool IsNull(int column) const override;
  std::string Text(int column) const override;
  int64_t Int64(int column) const override;
  double Double(int column) const override;
  void Reset() override;
  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int column) const override { return sqlite3_column_name(stmt_, column); }
  bool IsReal(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_FLOAT; }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  }

  sqlite3_stmt* stmt_;
  int bind_error_ = SQLITE_OK;  // The first failed bind, reported by Step().
};

}  // namespace grove::store
