#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::store {

// One prepared statement of one database backend (SQLite, PostgreSQL): what
// Statement forwards to. Binding indexes start at 1, column indexes at 0. A
// bind error is kept and reported by the next Step().
class StatementCursor {
 public:
  virtual ~StatementCursor() = default;

  virtual void BindText(int index, std::string_view text) = 0;
  virtual void BindInt64(int index, int64_t value) = 0;
  virtual void BindDouble(int index, double value) = 0;
  virtual void BindNull(int index) = 0;

  // Advances to the next row: true when a row is available, false when done.
  virtual Result<bool> Step() = 0;
  // Rows changed by the statement's last run.
  virtual int Changes() const = 0;

  virtual bool IsNull(int column) const = 0;
  // NULL reads as "" and 0.
  virtual std::string Text(int column) const = 0;
  virtual int64_t Int64(int column) const = 0;
  virtual double Double(int column) const = 0;

  // Drops the bindings and the current result, so the statement can run again.
  virtual void Reset() = 0;

  // The result's shape, for whole-store tools that copy any table: valid
  // after the first Step().
  virtual int ColumnCount() const = 0;
  virtual std::string ColumnName(int column) const = 0;
  // Whether the current row's value is stored as a floating-point number.
  virtual bool IsReal(int column) const = 0;
};

// A prepared statement in use, the same for every backend. Binding indexes
// start at 1, column indexes at 0. On destruction the cursor is reset (and
// deleted when it is not cached), so a cached statement can be handed out
// again. SQL is written once for every backend: `?` placeholders, and the
// common subset of SQLite and PostgreSQL (ON CONFLICT ... DO UPDATE,
// RETURNING, no LIMIT -1: see SqlLimit).
//
// Not thread-safe: used only by the thread holding the connection.
class Statement {
 public:
  // Takes `cursor` when `owned`; otherwise resets it on destruction and clears
  // `in_use` (may be null).
  Statement(StatementCursor* cursor, bool owned, bool* in_use);
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
  Statement& BindNull(int index) {
    cursor_->BindNull(index);
    return *this;
  }

  // Binds all arguments in order, starting at index 1.
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
    return *this;
  }

  Result<bool> Step() { return cursor_->Step(); }
  // Steps until done, for statements that return no rows.
  Status Run();
  // Rows changed by the last Run().
  int Changes() const { return cursor_->Changes(); }

  bool IsNull(int column) const { return cursor_->IsNull(column); }
  bool IsReal(int column) const { return cursor_->IsReal(column); }
  int ColumnCount() const { return cursor_->ColumnCount(); }
  std::string ColumnName(int column) const { return cursor_->ColumnName(column); }
  std::string Text(int column) const { return cursor_->Text(column); }
  int64_t Int64(int column) const { return cursor_->Int64(column); }
  int Int(int column) const { return static_cast<int>(Int64(column)); }
  bool Bool(int column) const { return Int64(column) != 0; }
  // NULL reads back as NaN.
  double Double(int column) const;
  // Parses the column as JSON; text that does not parse (never written by
  // Grove) comes back as a JSON string holding the raw text.
  Json JsonValue(int column) const;

 private:
  StatementCursor* cursor_;
  bool owned_;
  bool* in_use_;
};

// What `LIMIT ?` binds for "at most `limit` rows, all when limit <= 0":
// PostgreSQL rejects SQLite's LIMIT -1.
inline int64_t SqlLimit(int64_t limit) { return limit > 0 ? limit : std::numeric_limits<int64_t>::max(); }

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
