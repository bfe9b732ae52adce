#pragma once

// A PostgreSQL server for tests: started once per test process (with
// scripts/postgres.sh, in a temporary folder, on a free port) at first use and
// stopped when the process exits. GROVE_TEST_POSTGRES_URL (e.g.
// postgresql://grove@127.0.0.1:5432/) names a running server instead.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/file_util.h"

namespace grove::store {

class PgTestServer {
 public:
  // The URL of database `database` on the server ("postgresql://.../database").
  static std::string UrlOf(const std::string& database) { return Instance().base_ + database; }

  // Where a test that cannot reach the server should look.
  static std::string error() { return Instance().error_; }

 private:
  static PgTestServer& Instance() {
    static PgTestServer server;
    return server;
  }

  PgTestServer() {
    if (const char* url = std::getenv("GROVE_TEST_POSTGRES_URL"); url != nullptr && *url != '\0') {
      base_ = url;
      if (base_.back() != '/') base_ += '/';
      return;
    }
    script_ = std::filesystem::path(GROVE_SOURCE_DIR) / "scripts" / "postgres.sh";
    std::string command = script_.string() + " start " + dir_.path().string() + " 2>&1";
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r"); pipe != nullptr) {
      std::array<char, 512> buffer;
      while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
      started_ = ::pclose(pipe) == 0;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    if (!started_) {
      error_ = "cannot start PostgreSQL with " + command + ": " + out;
      return;
    }
    base_ = out.substr(0, out.rfind('/') + 1);  // The script prints .../grove.
  }

  ~PgTestServer() {
    if (started_) std::system((script_.string() + " stop " + dir_.path().string()).c_str());
  }

  TempDir dir_;
  std::filesystem::path script_;
  bool started_ = false;
  std::string base_ = "postgresql://grove@127.0.0.1:1/";
  std::string error_;
};

}  // namespace grove::store
