#pragma once

#include <string>
#include <string_view>

namespace grove::store {

// Grove writes its SQL once, in the subset SQLite and PostgreSQL share; these
// two functions carry the rest of the way to PostgreSQL.

// A query or change: each `?` placeholder outside quotes becomes $1, $2, ...
std::string PgQuery(std::string_view sql);

// Schema DDL (a migration step), written in SQLite's types:
//  - INTEGER PRIMARY KEY AUTOINCREMENT -> BIGSERIAL PRIMARY KEY;
//  - INTEGER -> BIGINT (times are milliseconds), REAL -> DOUBLE PRECISION;
//  - TEXT -> TEXT COLLATE "C", so text sorts and compares by bytes, as in SQLite;
//  - a table SQLite gives an implicit rowid (every table not WITHOUT ROWID) gets
//    an explicit `rowid BIGSERIAL` column, since queries order by insertion
//    with it; WITHOUT ROWID is dropped.
// Placeholders are translated as in PgQuery.
std::string PgSchema(std::string_view ddl);

}  // namespace grove::store
