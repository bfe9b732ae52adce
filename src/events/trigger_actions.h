#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "common/status.h"
#include "events/trigger_spec.h"

namespace grove::events {

// What a trigger's firing does, reached through this interface because
// events/ may not depend on app/: the server wires it to app/ (start an
// execution; queue a file's rows), tests use a fake.
//
// Exactly-once: the runner claims a firing in the store before calling an
// action and completes it after. After a crash between the two it calls the
// action again with the same `firing_id`, so an action must be idempotent per
// firing id: when its effect already happened (an execution carrying the
// firing id exists), it returns that effect instead of repeating it.
class TriggerActions {
 public:
  virtual ~TriggerActions() = default;

  // Starts `spec.pipeline` (a definition file or a registered pipeline's name)
  // with `parameters` (name -> text, as on the command line). Returns the
  // execution id.
  virtual Result<std::string> StartPipeline(const TriggerSpec& spec,
                                            const std::map<std::string, std::string>& parameters,
                                            const std::string& firing_id) = 0;
  // Queues the rows of `file` (a path, or an s3:// URI for an uploaded object)
  // for `target` (dimension, endpoint, model). Returns how many rows.
  virtual Result<int> QueueFile(const std::filesystem::path& file, const std::map<std::string, std::string>& target,
                                const std::string& firing_id) = 0;
};

}  // namespace grove::events
