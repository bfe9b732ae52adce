#pragma once

// The real targets of hooks (events/hook_target.h's HookTargets):
//  - webhook: POST the event JSON with libcurl; X-Grove-Signature is
//    "sha256=" + hex HMAC-SHA256 of the body under the hook's secret; 2xx is success.
//  - command: /bin/sh -c COMMAND in its own process group, the event JSON on
//    stdin, GROVE_EVENT_TYPE and GROVE_DELIVERY_ID in its environment; exit 0
//    is success; killed (SIGKILL to the group) after the timeout.
//  - email: SMTP through libcurl (smtp:// or smtps:// URL), one message to
//    every address; subject names the event type and subject, the body is the
//    event JSON pretty-printed.
//  - start: HookActions::StartPipeline with the parameter templates filled from the event.

#include <chrono>
#include <string>

#include "events/hook_actions.h"
#include "events/hook_target.h"

namespace grove::events {

struct HookTargetOptions {
  std::chrono::milliseconds http_timeout{30000};
  std::chrono::milliseconds command_timeout{60000};
  std::chrono::milliseconds smtp_timeout{30000};
  std::string smtp_url;   // E.g. "smtp://127.0.0.1:2525"; email fails saying so when empty.
  std::string smtp_from;  // Default "grove@localhost".
  HookActions* actions = nullptr;  // For start targets; they fail saying so when null.
};

class NetworkHookTargets : public HookTargets {
 public:
  explicit NetworkHookTargets(HookTargetOptions options) : options_(std::move(options)) {}
  HookAttempt Deliver(const HookRequest& request) override;

 private:
  HookAttempt Webhook(const HookRequest& request) const;
  HookAttempt Command(const HookRequest& request) const;
  HookAttempt Email(const HookRequest& request) const;
  HookAttempt Start(const HookRequest& request) const;

  const HookTargetOptions options_;
};

// "sha256=" + the hex HMAC-SHA256 of `body` under `secret` (X-Grove-Signature).
std::string SignBody(const std::string& secret, const std::string& body);

// The parameter values of a start target: each template with {field} filled
// from the public event (InvalidArgument naming an unknown field).
Result<std::map<std::string, std::string>> StartParameters(const HookStart& start, const Json& event);

}  // namespace grove::events
