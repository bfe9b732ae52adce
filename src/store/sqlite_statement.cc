#include "store/sqlite_statement.h"

#include <cmath>

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
    default:
      return Status::IOError(std::move(message));
  }
}

Statement::Statement(sqlite3_stmt* stmt, bool owned, bool* in_use)
    : stmt_(stmt), owned_(owned), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : stmt_(other.stmt_), owned_(other.owned_), in_use_(other.in_use_), bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
  other.in_use_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
  } else {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  if (in_use_ != nullptr) *in_use_ = false;
}

Statement& Statement::Bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  int rc = std::isnan(value) ? sqlite3_bind_null(stmt_, index) : sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

// Invalid UTF-8 inside strings is replaced rather than thrown on.
Statement& Statement::Bind(int index, const Json& value) {
  return Bind(index, value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

Result<bool> Statement::Step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_error_ != SQLITE_OK) return SqliteError(db, bind_error_, "cannot bind a statement parameter");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db, rc, std::string("cannot run '") + sqlite3_sql(stmt_) + "'");
}

Status Statement::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::OK();
  }
}

int Statement::Changes() const { return sqlite3_changes(sqlite3_db_handle(stmt_)); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t Statement::Int64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::Double(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nan("");
  return sqlite3_column_double(stmt_, column);
}

Json Statement::JsonValue(int column) const {
  std::string text = Text(column);
  if (text.empty()) return Json::object();
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Json(text);
  return value;
}

}  // namespace grove::store
