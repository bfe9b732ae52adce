#pragma once

#include <map>
#include <string>

#include "common/status.h"

namespace grove::events {

// What a hook's `start` target does, reached through this interface because
// events/ may not depend on app/: the server wires it to app/
// (cli/server_hooks.h), tests use a fake.
//
// At least once: a delivery may be attempted again after a crash or a lost
// answer, with the same `delivery_id`, so StartPipeline must be idempotent per
// delivery id: when an execution for it exists, it returns that one.
class HookActions {
 public:
  virtual ~HookActions() = default;
  // Starts `pipeline` (a registered pipeline's name or a definition file) with
  // `parameters` (name -> text, as on the command line). Returns the execution id.
  virtual Result<std::string> StartPipeline(const std::string& pipeline,
                                            const std::map<std::string, std::string>& parameters,
                                            const std::string& delivery_id) = 0;
};

}  // namespace grove::events
