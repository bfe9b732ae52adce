#include "store/sqlite_cursor.h"

namespace grove::store {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return SqliteStatus(rc, std::string(what) + ": " + detail);
}

Status SqliteStatus(int rc, std::string message) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return Status::FailedPrecondition(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::IOError(message + " (another process holds the metadata store; try again)");
    case SQLITE_FULL:
      return Status::IOError(message + " (no space left on device: free space on its disk, then try again)");
    case SQLITE_READONLY:
      return Status::IOError(message + " (its folder is read-only: remount it read-write, then try again)");
    default:
      return Status::IOError(std::move(message));
  }
}

std::string StatementForMessage(sqlite3_stmt* stmt) {
  constexpr size_t kMaxChars = 60;
  std::string_view sql = sqlite3_sql(stmt);
  std::string text = "'" + std::string(sql.substr(0, kMaxChars)) + (sql.size() > kMaxChars ? "...'" : "'");
  sqlite3* db = sqlite3_db_handle(stmt);
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  if (file != nullptr && *file != '\0') text += std::string(" on ") + file;
  return text;
}

void SqliteCursor::BindText(int index, std::string_view text) {
  Check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
}

void SqliteCursor::BindInt64(int index, int64_t value) { Check(sqlite3_bind_int64(stmt_, index, value)); }

void SqliteCursor::BindDouble(int index, double value) { Check(sqlite3_bind_double(stmt_, index, value)); }

void SqliteCursor::BindNull(int index) { Check(sqlite3_bind_null(stmt_, index)); }

Result<bool> SqliteCursor::Step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_error_ != SQLITE_OK) return SqliteError(db, bind_error_, "cannot bind a statement parameter");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db, rc, "cannot run " + StatementForMessage(stmt_));
}

int SqliteCursor::Changes() const { return sqlite3_changes(sqlite3_db_handle(stmt_)); }

bool SqliteCursor::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::string SqliteCursor::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t SqliteCursor::Int64(int column) const { return sqlite3_column_int64(stmt_, column); }

double SqliteCursor::Double(int column) const { return sqlite3_column_double(stmt_, column); }

void SqliteCursor::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

}  // namespace grove::store
