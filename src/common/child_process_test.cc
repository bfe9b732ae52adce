#include "common/child_process.h"

#include <gtest/gtest.h>

namespace grove {
namespace {

TEST(ChildProcessTest, CapturesStdoutStderrAndTheExitCode) {
  auto r = RunChildProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(r->exit_code, 3);
}

TEST(ChildProcessTest, OutputLargerThanAPipeDoesNotBlock) {
  auto r = RunChildProcess({"sh", "-c", "head -c 1000000 /dev/zero; head -c 300000 /dev/zero >&2"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->out.size(), 1000000u);
  EXPECT_EQ(r->err.size(), 300000u);
  EXPECT_EQ(r->exit_code, 0);
}

TEST(ChildProcessTest, ASignalIsReportedAs128PlusItsNumber) {
  auto r = RunChildProcess({"sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->exit_code, 128 + 9);
}

TEST(ChildProcessTest, AMissingProgramIsAnErrorNamingIt) {
  auto r = RunChildProcess({"no-such-program-grove"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot run no-such-program-grove"), std::string::npos)
      << r.status().message();
}

TEST(ChildProcessTest, StandardInputIsEmpty) {
  auto r = RunChildProcess({"sh", "-c", "cat; echo done"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "done\n");
}

}  // namespace
}  // namespace grove
