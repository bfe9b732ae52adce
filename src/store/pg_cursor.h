#pragma once

#include <libpq-fe.h>

#include <string>
#include <vector>

#include "store/sql_statement.h"

namespace grove::store {

// The Status of a failed PostgreSQL result: integrity violations (SQLSTATE
// class 23) are FailedPrecondition, as SQLite's constraint errors; anything
// else is IOError. `what` says what was being done.
Status PgResultError(PGconn* conn, const PGresult* result, const std::string& what);

// A PostgreSQL statement (StatementCursor): a named prepared statement of one
// connection, or, with an empty name, one run with PQexecParams. Parameters
// travel as text and PostgreSQL infers their types from the statement; the
// result is read whole on the first Step().
class PgCursor : public StatementCursor {
 public:
  // `sql` is already in PostgreSQL's form (PgQuery).
  PgCursor(PGconn* conn, std::string name, std::string sql);
  ~PgCursor() override;
  PgCursor(const PgCursor&) = delete;
  PgCursor& operator=(const PgCursor&) = delete;

  void BindText(int index, std::string_view text) override;
  void BindInt64(int index, int64_t value) override;
  void BindDouble(int index, double value) override;
  void BindNull(int index) override;
  Result<bool> Step() override;
  int Changes() const override { return changes_; }
  bool IsNull(int column) const override;
  std::string Text(int column) const override;
  int64_t Int64(int column) const override;
  double Double(int column) const override;
  void Reset() override;
  int ColumnCount() const override { return PQnfields(result_); }
  std::string ColumnName(int column) const override { return PQfname(result_, column); }
  // float4 and float8 (OIDs 700 and 701).
  bool IsReal(int column) const override { return PQftype(result_, column) == 700 || PQftype(result_, column) == 701; }

 private:
  void Set(int index, std::string value, bool null);
  Status Execute();

  PGconn* conn_;
  const std::string name_;
  const std::string sql_;
  std::vector<std::string> values_;
  std::vector<char> null_;
  PGresult* result_ = nullptr;
  bool ran_ = false;
  int row_ = -1;
  int rows_ = 0;
  int changes_ = 0;
};

}  // namespace grove::store
