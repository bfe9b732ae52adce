#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::store {

// Turns an SQLite result code into a Status: constraint violations are
// FailedPrecondition, a lock held too long is IOError, anything else IOError.
Status SqliteError(sqlite3* db, int rc, std::string_view what);
// The same mapping of `rc`, with the whole message given.
Status SqliteStatus(int rc, std::string message);

// A prepared statement in use. Binding indexes start at 1, column indexes at 0.
// On destruction the statement is reset (and finalized when it is not cached),
// so a cached statement can be handed out again.
//
// Not thread-safe: used only by the thread holding the connection's mutex.
class Statement {
 public:
  // Takes `stmt`; `owned` means finalize it on destruction instead of resetting
  // it for reuse; `in_use` (may be null) is cleared on destruction.
  Statement(sqlite3_stmt* stmt, bool owned, bool* in_use);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  // NaN is stored as NULL (SQLite would store it as NULL anyway, silently).
  Statement& Bind(int index, double value);
  // Documents are stored as their compact JSON text.
  Statement& Bind(int index, const Json& value);

  // Binds all arguments in order, starting at index 1.
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row: true when a row is available, false when done.
  Result<bool> Step();
  // Steps until done, for statements that return no rows.
  Status Run();
  // Rows changed by the last Run() of this connection.
  int Changes() const;

  std::string Text(int column) const;
  int64_t Int64(int column) const;
  int Int(int column) const { return static_cast<int>(Int64(column)); }
  bool Bool(int column) const { return Int64(column) != 0; }
  // NULL reads back as NaN.
  double Double(int column) const;
  // Parses the column as JSON; text that does not parse (never written by
  // Grove) comes back as a JSON string holding the raw text.
  Json JsonValue(int column) const;

 private:
  sqlite3_stmt* stmt_;
  bool owned_;
  bool* in_use_;
  int bind_error_ = SQLITE_OK;  // The first failed bind, reported by Step().
};

// Every row of `select`, each read by `from_row(const Statement&)`; room for
// `expected` rows is made up front.
template <typename FromRow>
auto CollectRows(Statement& select, FromRow from_row, size_t expected = 0)
    -> Result<std::vector<decltype(from_row(select))>> {
  std::vector<decltype(from_row(select))> rows;
  rows.reserve(expected);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return rows;
    rows.push_back(from_row(select));
  }
}

// The first row of `select` read by `from_row`, or nullopt when there is none.
template <typename FromRow>
auto FirstRow(Statement& select, FromRow from_row) -> Result<std::optional<decltype(from_row(select))>> {
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<decltype(from_row(select))>();
  return std::optional<decltype(from_row(select))>(from_row(select));
}

}  // namespace grove::store
