#include "store/file_copy.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "common/file_util.h"

namespace grove::store {
namespace {

// On a full disk (tests/python/disk_faults_test.py) a step's copy into the artifact store failed with
// "cannot write a copy of <the step's input>: No space left on device", naming the file read, not the
// one that could not be written. /dev/full answers every write with ENOSPC.
TEST(FileCopyTest, ACopyOntoAFullDiskNamesTheFileItWritesAndItsSource) {
  int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "no /dev/full";
  TempDir dir;
  const auto source = dir.path() / "input.csv";
  ASSERT_TRUE(WriteFile(source, "a,b\n1,2\n").ok());
  auto copied = CopyAndHash(source, fd, "/data/artifacts/tmp/put-x", nullptr);
  ::close(fd);
  ASSERT_FALSE(copied.ok());
  const std::string& message = copied.status().message();
  EXPECT_EQ(message.rfind("cannot write /data/artifacts/tmp/put-x: No space left on device", 0), 0) << message;
  EXPECT_NE(message.find("(copying " + source.string() + ")"), std::string::npos) << message;
}

}  // namespace
}  // namespace grove::store
