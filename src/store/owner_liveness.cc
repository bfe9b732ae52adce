#include "store/owner_liveness.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace grove::store {

namespace {

std::string HostName() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return host;
}

class LocalLiveness : public OwnerLiveness {
 public:
  bool IsGone(const std::string& owner) const override {
    size_t colon = owner.rfind(':');
    if (colon == std::string::npos || owner.substr(0, colon) != HostName()) return false;
    std::string digits = owner.substr(colon + 1);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) {
      return false;
    }
    pid_t pid = static_cast<pid_t>(std::atol(digits.c_str()));
    return pid > 0 && kill(pid, 0) != 0 && errno == ESRCH;
  }
};

}  // namespace

const OwnerLiveness* LocalOwnerLiveness() {
  static const LocalLiveness kLiveness;
  return &kLiveness;
}

std::string ThisProcessOwner() { return HostName() + ":" + std::to_string(getpid()); }

}  // namespace grove::store
