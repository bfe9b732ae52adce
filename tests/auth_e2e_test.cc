// End-to-end: access control of `grove server` (on by default; --auth off on
// loopback only) and `grove key` on a data folder. The boto3 and aws-cli side
// is tests/python/auth_test.py.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include "api/http_test_client.h"
#include "common/file_util.h"
#include "common/test_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

class AuthE2ETest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      EXPECT_EQ(WaitGrove(pid_), 0);
    }
  }
  CommandResult Expect(const std::vector<std::string>& args, int exit_code = 0) {
    CommandResult r = RunGrove(home_.path(), args);
    EXPECT_EQ(r.exit_code, exit_code) << args[0] << ": " << r.out << r.err;
    return r;
  }
  // Starts the server with access control on; returns what it printed once listening.
  std::string StartServer() {
    fs::path log = home_.path() / "server.log";
    pid_ = StartGrove(home_.path(), {"server", "--listen", "127.0.0.1:0"}, log);
    std::string text;
    bool listening = WaitUntil([&] {
      auto read = ReadFile(log);
      text = read.ok() ? *read : "";
      size_t at = text.find("AWS_ENDPOINT_URL=http://127.0.0.1:");
      if (at == std::string::npos || text.find('\n', at) == std::string::npos) return false;
      port_ = static_cast<uint16_t>(std::stoi(text.substr(at + 34)));
      return true;
    });
    EXPECT_TRUE(listening) << "server did not start: " << text;
    return text;
  }
  int Status(std::string_view method, std::string_view target, const std::string& bearer = "") {
    std::string extra = bearer.empty() ? "" : "Authorization: Bearer " + bearer + "\r\n";
    auto r = api::http_test::Fetch(port_, method, target, "", extra);
    return r ? r->status : -1;
  }

  TempDir home_;
  int pid_ = 0;
  uint16_t port_ = 0;
};

TEST_F(AuthE2ETest, AuthOffIsRefusedOffLoopback) {
  auto r = Expect({"server", "--auth", "off", "--listen", "0.0.0.0:0"}, 2);
  EXPECT_THAT(r.err, HasSubstr("--auth off is allowed only on a loopback address"));
  r = Expect({"server", "--auth", "maybe"}, 2);
}

TEST_F(AuthE2ETest, KeysAreCreatedListedAndRevoked) {
  Json created = Expect({"key", "create", "--role", "viewer", "--name", "vera", "--json"}).json();
  std::string id = created["access_key_id"];
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(created["secret_access_key"].get<std::string>().size(), 40u);
  EXPECT_EQ(created["role"], "viewer");
  auto text = Expect({"key", "create", "--role", "approver"});
  EXPECT_THAT(text.out, HasSubstr("export AWS_ACCESS_KEY_ID="));
  auto listed = Expect({"key", "list", "--json"});
  EXPECT_THAT(listed.out, Not(HasSubstr(created["secret_access_key"].get<std::string>())));
  EXPECT_EQ(listed.json()["keys"].size(), 2u);
  Expect({"key", "revoke", id});
  auto again = Expect({"key", "revoke", id}, 2);
  EXPECT_THAT(again.err, HasSubstr("revoked already"));
  EXPECT_THAT(Expect({"key", "list"}).out, HasSubstr("Revoked"));
  auto bad_role = Expect({"key", "create", "--role", "boss"}, 2);
  EXPECT_THAT(bad_role.err, HasSubstr("viewer, operator, approver, admin"));
}

TEST_F(AuthE2ETest, TheFirstStartMakesAnAdminKeyAndRequestsNeedKeys) {
  std::string printed = StartServer();
  fs::path key_file = home_.path() / "admin-key.json";
  struct stat st {};
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Json admin = Json::parse(ReadFile(key_file).value());
  EXPECT_THAT(printed, HasSubstr("export AWS_ACCESS_KEY_ID=" + admin["access_key_id"].get<std::string>()));
  std::string viewer = Expect({"key", "create", "--role", "viewer", "--json"}).json()["secret_access_key"];

  EXPECT_EQ(Status("GET", "/ping"), 200);
  EXPECT_EQ(Status("GET", "/api/v1/endpoints"), 401);
  EXPECT_EQ(Status("GET", "/api/v1/endpoints", "not-a-key"), 401);
  EXPECT_EQ(Status("GET", "/api/v1/endpoints", admin["secret_access_key"]), 200);
  EXPECT_EQ(Status("GET", "/api/v1/endpoints", viewer), 200);  // Made after the server started.
  EXPECT_EQ(Status("POST", "/api/v1/endpoints/none/invocations", viewer), 403);
  EXPECT_EQ(Status("POST", "/api/v1/endpoints/none/invocations", admin["secret_access_key"]), 404);
}

}  // namespace
}  // namespace grove::testing
