#include "store/owner_liveness.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/file_util.h"
#include "store/metadata_store.h"

namespace grove::store {
namespace {

// "<this host>:<pid>" of a child that has exited and been reaped.
std::string GoneOwner() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  std::string self = ThisProcessOwner();
  return self.substr(0, self.rfind(':') + 1) + std::to_string(pid);
}

TEST(OwnerLivenessTest, ThisProcessIsAlive) {
  EXPECT_FALSE(LocalOwnerLiveness()->IsGone(ThisProcessOwner()));
}

TEST(OwnerLivenessTest, AnExitedProcessOnThisMachineIsGone) {
  EXPECT_TRUE(LocalOwnerLiveness()->IsGone(GoneOwner()));
}

TEST(OwnerLivenessTest, OwnersElsewhereOrUnreadableAreNeverGone) {
  std::string gone = GoneOwner();
  std::string pid = gone.substr(gone.rfind(':') + 1);
  EXPECT_FALSE(LocalOwnerLiveness()->IsGone("another-machine.example:" + pid));
  EXPECT_FALSE(LocalOwnerLiveness()->IsGone(""));
  EXPECT_FALSE(LocalOwnerLiveness()->IsGone(gone.substr(0, gone.rfind(':'))));
  EXPECT_FALSE(LocalOwnerLiveness()->IsGone(gone.substr(0, gone.rfind(':') + 1) + "12x"));
  EXPECT_FALSE(LocalOwnerLiveness()->IsGone(gone.substr(0, gone.rfind(':') + 1) + "-1"));
}

// The real check behind a real store, as `grove` opening a data folder runs
// it: an execution whose owner process on this machine died is failed at
// once, though its lease runs for another 30 s.
TEST(OwnerLivenessTest, StoreFailsTheExecutionOfAGoneLocalOwnerAtOnce) {
  TempDir dir;
  FakeClock clock(10'000);
  auto store = OpenSqliteMetadataStore((dir.path() / "grove.db").string(), &clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::string gone = GoneOwner();
  for (const std::string& owner : {gone, ThisProcessOwner()}) {
    ExecutionRecord e;
    e.id = owner == gone ? "orphan" : "mine";
    e.pipeline = "p";
    e.lease_owner = owner;
    e.lease_expires = clock.Now() + 30'000;
    ASSERT_TRUE((*store)->CreateExecution(e).ok());
  }
  clock.Advance(1000);
  auto failed = (*store)->FailExpiredExecutions(clock.Now());
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_EQ(*failed, std::vector<std::string>{"orphan"});
  EXPECT_EQ((*store)->GetExecution("orphan")->ended_at, 10'000);
  EXPECT_EQ((*store)->GetExecution("mine")->status, kExecuting);
}

}  // namespace
}  // namespace grove::store
