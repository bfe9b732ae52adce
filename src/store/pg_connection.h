#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "common/status.h"
#include "store/sql_connection.h"

typedef struct pg_conn PGconn;  // libpq's, kept out of this header.

namespace grove::store {

class PgCursor;

// One libpq connection (SqlConnection): statements are prepared once per
// connection and cached by their SQL, which is translated to PostgreSQL's
// placeholders (PgQuery); Exec translates schema DDL (PgSchema).
// Not thread-safe: one thread at a time (PgMetadataStore hands it out).
class PgConnection : public SqlConnection {
 public:
  // Connects to `url` (a libpq URI or connection string). `name` names the
  // database in messages (the URL without its password).
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url, const std::string& name);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Result<Statement> Prepare(const char* sql) override;
  Status Exec(const char* sql) override;
  const std::string& name() const override { return name_; }
  Status SyncIdSequences() override;
  bool locks_rows() const override { return true; }

  // Runs one command given in PostgreSQL's own SQL (BEGIN, COMMIT, NOTIFY, ...).
  Status Run(const char* sql);
  // False once the connection to the server is lost.
  bool healthy() const;
  PGconn* raw() const { return conn_; }

 private:
  struct CachedCursor;

  PgConnection(PGconn* conn, std::string name);

  PGconn* conn_;
  const std::string name_;
  std::unordered_map<std::string, std::unique_ptr<CachedCursor>> cache_;
};

// The Status of a failed connection attempt to `name`.
Status PgConnectError(PGconn* conn, const std::string& name);

}  // namespace grove::store
