#pragma once

// What a trigger is: when it fires (a file or S3 object arriving under a
// watched pattern, or a cron schedule) and what it does (start a pipeline
// with bound parameters, or queue a file's rows for inference). Read from a
// triggers file (`triggers:` list, the same schema as grove.yaml's section),
// from `grove trigger create` or from the REST API, and kept in the metadata
// store (events/trigger_records.h).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::events {

// A watch pattern relative to a watched root (or an S3 key): segments split at
// '/'; in a segment `*` matches any characters, `?` one, `{Name}` binds the
// characters it spans to Name (a whole segment usually: "{StateDim}"); a
// segment `**` matches zero or more segments.
class WatchPattern {
 public:
  // InvalidArgument for an empty pattern, an absolute one, "..", an unclosed
  // or empty `{`, or a name bound twice.
  static Result<WatchPattern> Parse(const std::string& text);

  // The bindings when `relative` (a '/'-separated relative path or S3 key)
  // matches, else nullopt.
  std::optional<std::map<std::string, std::string>> Match(const std::string& relative) const;
  // The literal leading segments with a trailing '/', e.g. "training-dataset/"
  // ("" when the first segment has a wildcard): where to list S3 keys.
  std::string StaticPrefix() const;
  // The names the pattern binds, in order.
  const std::vector<std::string>& names() const { return names_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<std::string> segments_;
  std::vector<std::string> names_;
};

// Replaces each {Name} in `text` by values[Name]. InvalidArgument naming the
// placeholder and the names there are when one is unknown.
Result<std::string> ExpandTemplate(const std::string& text, const std::map<std::string, std::string>& values);
// The {Name}s of `text`, in order.
std::vector<std::string> TemplateNames(const std::string& text);

struct TriggerSpec {
  std::string name;
  // Exactly one of watch and schedule.
  std::string watch;     // A WatchPattern.
  std::string bucket;    // With watch: the S3 bucket whose uploads match; empty: any bucket.
  std::string schedule;  // A 5-field cron expression, UTC (events/cron.h).
  // Exactly one action: a pipeline (a definition file, absolute once read,
  // or a registered pipeline's name) with parameter templates, or the queue
  // with its target templates (dimension, endpoint, model).
  std::string pipeline;
  std::map<std::string, std::string> parameters;
  bool queue = false;
  std::map<std::string, std::string> queue_target;
  // How long a written file's size and mtime must stay unchanged before it counts as arrived.
  int settle_ms = 500;
  bool paused = false;
  std::string source;  // The triggers file it came from; "cli" or "api" otherwise.
};

// Trigger names: 1-64 letters, digits, '-', '_' and '.', starting with a letter or digit.
Status CheckTriggerName(const std::string& name);
// The rules above, and that every template names only the pattern's
// bindings or {path}, {file}, {trigger} ({time} for schedules).
Status CheckTriggerSpec(const TriggerSpec& spec);
// Whether `pipeline` names a definition file rather than a registered pipeline:
// it has a '/' or ends in .yaml, .yml or .json.
bool IsPipelineFile(const std::string& pipeline);

Json ToJson(const TriggerSpec& spec);
// The inverse of ToJson; also reads what the REST API is sent (the triggers
// file's keys). InvalidArgument naming the field.
Result<TriggerSpec> TriggerSpecFromJson(const Json& json);

// Reads a triggers file: a top-level `triggers:` list. Pipeline files are
// resolved relative to the file's folder. Errors carry file:line:col.
Result<std::vector<TriggerSpec>> ReadTriggersFile(const std::filesystem::path& path);
// The same from text; `source` names it in messages, `base` resolves pipeline files.
Result<std::vector<TriggerSpec>> ParseTriggersText(const std::string& text, const std::string& source,
                                                   const std::filesystem::path& base);

}  // namespace grove::events
