#pragma once

#include <functional>
#include <string>

#include "common/status.h"
#include "store/sql_statement.h"

namespace grove::store {

// One connection to a database backend, as the table classes (store/*_table.h)
// and the schema migrations see it. SQL is written once, in the subset both
// backends run (see Statement); the PostgreSQL connection rewrites
// placeholders, and schema DDL (Exec) from SQLite's types to its own.
// REQUIRES: used by one thread at a time, inside a transaction of the backend.
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  // A statement for `sql`, from the connection's cache when it is not in use.
  virtual Result<Statement> Prepare(const char* sql) = 0;
  // Runs one or more statements that return no rows (schema changes).
  virtual Status Exec(const char* sql) = 0;
  // Names the database in messages (a file path, or a URL without password).
  virtual const std::string& name() const = 0;
  // After rows were inserted with explicit ids (a whole-store copy): makes the
  // next generated ids follow them. SQLite does that by itself.
  virtual Status SyncIdSequences() { return Status::OK(); }
  // Whether SELECT ... FOR UPDATE SKIP LOCKED claims rows (PostgreSQL); without
  // it (SQLite) a write transaction holds the whole database.
  virtual bool locks_rows() const { return false; }
};

// Runs `body` in one write transaction of a backend: commits when it returns
// OK, rolls back otherwise. What schema migrations run in.
using WriteTransaction = std::function<Status(const std::function<Status(SqlConnection&)>& body)>;

}  // namespace grove::store
