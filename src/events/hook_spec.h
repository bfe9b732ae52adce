#pragma once

// What a hook is: which public events it matches (events/event_types.h: a
// type or a glob in `on`, field globs in `where`) and the one target each
// match is delivered to (a webhook, a shell command, email, or a pipeline to
// start). Written under the hook's name in grove.yaml's hooks section, by
// `grove hook create`, and kept in the metadata store (events/hook_records.h).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::events {

// A pipeline to start per delivery: `parameters` are templates whose {field}
// placeholders are filled from the event (e.g. "{group}/{version}").
struct HookStart {
  std::string pipeline;  // A registered pipeline's name, or a definition file.
  std::map<std::string, std::string> parameters;
  bool operator==(const HookStart&) const = default;
};

enum class HookTargetKind { kWebhook, kCommand, kEmail, kStart };

struct HookSpec {
  std::string name;
  std::string on;                            // An event type, or a glob like "model.*".
  std::map<std::string, std::string> where;  // Field -> glob; every one must match.
  // Exactly one target.
  std::string webhook;                       // An http:// or https:// URL.
  std::string secret_env;                    // With webhook: sign with this environment variable's value.
  std::string command;                       // Run with /bin/sh -c, the event JSON on stdin.
  std::vector<std::string> email;            // Addresses.
  std::optional<HookStart> start;
  int max_attempts = 5;  // 1-100; then the delivery is dead (the dead-letter list).

  bool operator==(const HookSpec&) const = default;
  HookTargetKind target_kind() const;
};

// Hook names: 1-64 letters, digits, '-', '_' and '.', starting with a letter or digit.
Status CheckHookName(const std::string& name);

// On error sets *field to the offending member's path relative to `body`, '/'-separated (e.g. "where/group", "on",
// "webhook"), empty when it is the body itself.
Result<HookSpec> HookSpecFromJson(const std::string& name, const Json& body, std::string* field);
// The declared fields only, canonical (no name, no secrets, no state): HookSpecFromJson(name, ToJson(s)) == s.
Json ToJson(const HookSpec& spec);

// One line naming the target, e.g. "webhook http://...", "email a@b, c@d".
std::string TargetText(const HookSpec& spec);

}  // namespace grove::events
