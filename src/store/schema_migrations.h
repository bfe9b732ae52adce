#pragma once

#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/sql_connection.h"
#include "store/sqlite_db.h"

namespace grove::store {

// One step of the schema's history. Versions count 1, 2, 3, ... and a
// released step never changes: a new need is a new step.
struct Migration {
  int version;
  const char* description;
  const char* sql;  // One or more statements, run in one transaction.
};

// Grove's metadata schema, oldest step first.
const std::vector<Migration>& SchemaMigrations();

// Brings a database up to the last of `migrations`: creates `schema_version`
// if needed, then applies each missing step in its own `write` transaction,
// recording (version, description, applied_at = `now`). Steps already recorded
// are skipped, so concurrent openers apply each step once. FailedPrecondition
// when the database's schema is newer than `migrations` knows (a newer grove
// wrote it). A step's SQL is written once, in SQLite's dialect; the PostgreSQL
// connection translates it (store/pg_dialect.h).
Status Migrate(const WriteTransaction& write, const std::vector<Migration>& migrations, TimeMs now);
// The same on one SQLite file.
Status Migrate(SqliteDb& db, const std::vector<Migration>& migrations, TimeMs now);

// The highest applied schema version (0 for a fresh database).
// REQUIRES: inside a transaction on `db`.
Result<int> CurrentSchemaVersion(SqlConnection& db);

}  // namespace grove::store
