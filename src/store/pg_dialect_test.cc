#include "store/pg_dialect.h"

#include <gtest/gtest.h>

namespace grove::store {
namespace {

TEST(PgDialectTest, PlaceholdersAreNumberedOutsideQuotes) {
  EXPECT_EQ(PgQuery("SELECT a FROM t WHERE (? = '' OR b = ?) AND c = '?' LIMIT ?"),
            "SELECT a FROM t WHERE ($1 = '' OR b = $2) AND c = '?' LIMIT $3");
  EXPECT_EQ(PgQuery("SELECT 1"), "SELECT 1");
}

TEST(PgDialectTest, SchemaTypesBecomePostgresTypes) {
  std::string pg = PgSchema(
      "CREATE TABLE events (\n  seq INTEGER PRIMARY KEY AUTOINCREMENT,\n  at INTEGER NOT NULL,\n"
      "  score REAL,\n  kind TEXT NOT NULL DEFAULT 'TEXT'\n);");
  EXPECT_EQ(pg,
            "CREATE TABLE events (\n  rowid BIGSERIAL,\n  seq BIGSERIAL PRIMARY KEY,\n  at BIGINT NOT NULL,\n"
            "  score DOUBLE PRECISION,\n  kind TEXT COLLATE \"C\" NOT NULL DEFAULT 'TEXT'\n);");
}

TEST(PgDialectTest, WithoutRowidTablesGetNoRowidColumn) {
  std::string pg = PgSchema(
      "CREATE TABLE a (k TEXT, PRIMARY KEY (k)) WITHOUT ROWID;\nCREATE TABLE b (x INTEGER, UNIQUE (x));\n"
      "CREATE INDEX b_x ON b (x);");
  EXPECT_EQ(pg,
            "CREATE TABLE a (k TEXT COLLATE \"C\", PRIMARY KEY (k));\nCREATE TABLE b (\n  rowid BIGSERIAL,x BIGINT, "
            "UNIQUE (x));\nCREATE INDEX b_x ON b (x);");
}

TEST(PgDialectTest, AlterTableKeepsItsShape) {
  EXPECT_EQ(PgSchema("ALTER TABLE executions ADD COLUMN heartbeat_at INTEGER NOT NULL DEFAULT 0;"),
            "ALTER TABLE executions ADD COLUMN heartbeat_at BIGINT NOT NULL DEFAULT 0;");
}

}  // namespace
}  // namespace grove::store
