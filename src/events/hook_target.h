#pragma once

// What delivering to a hook's target is, behind an interface: the server
// uses events/hook_targets.h (HTTP, a shell command, SMTP, a pipeline start),
// tests a fake (events/fake_hook_target.h).

#include <string>

#include "common/json.h"
#include "events/hook_records.h"
#include "events/hook_spec.h"

namespace grove::events {

struct HookRequest {
  const HookSpec* spec = nullptr;
  std::string delivery_id;  // Stable across retries: for the receiver's deduplication.
  std::string secret;       // The webhook's signing key; empty when it has none.
  const Json* event = nullptr;  // The public event.
};

// One attempt at one delivery. Thread-safe: the deliverer calls it from a
// thread per hook. An implementation never throws and always returns within
// its own timeouts; the outcome says what happened (HookAttempt::at is the
// deliverer's to set).
class HookTargets {
 public:
  virtual ~HookTargets() = default;
  virtual HookAttempt Deliver(const HookRequest& request) = 0;
};

}  // namespace grove::events
