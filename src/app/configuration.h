#pragma once

// `grove plan`, `grove apply` and `grove export`: Grove converged to a
// configuration file (config_document.h), like a Terraform plan and apply.
//
// A plan compares each declared entry with the store's: to create, to change
// (with what differs), and, with `prune`, to remove what the file no longer
// declares; without it those are listed as kept. Apply makes the plan's
// changes in one metadata transaction, computed again inside it, so a plan
// that cannot be applied changes nothing and a second apply of the same file
// changes nothing. Errors name the entry ("endpoints/models: ...") so a
// client can point at its line (ConfigDocument::Located).

#include <string>
#include <vector>

#include "app/config_document.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::app {

class Home;

struct ConfigChange {
  std::string action;   // "create", "change" or "remove".
  std::string section;  // e.g. "endpoints".
  std::string noun;     // e.g. "endpoint".
  std::string name;
  std::vector<std::string> details;  // What differs, for a change.
};

struct ConfigPlan {
  std::vector<ConfigChange> changes;  // Creations and changes in section order, then removals.
  std::vector<std::string> kept;      // "endpoint old" for each entry not declared, without prune.
  bool empty() const { return changes.empty(); }
};

struct ConfigApplied {
  ConfigPlan plan;                  // What was done.
  Json created_keys = Json::array();  // Access keys made, each with its secret (shown this once).
};

class Configuration {
 public:
  explicit Configuration(Home& home) : home_(home) {}

  Result<ConfigPlan> Plan(const ConfigDocument& doc, bool prune);
  // `by` is recorded with what the apply pins.
  Result<ConfigApplied> Apply(const ConfigDocument& doc, bool prune, const std::string& by);
  // Today's state as a configuration document: every section's entries, with
  // pipelines' definitions inline as text.
  Result<Json> Export();

 private:
  Home& home_;
};

Json ToJson(const ConfigPlan& plan);
Json ToJson(const ConfigApplied& applied);

// `exported` (Configuration::Export) as a configuration file's YAML. With a
// non-empty `pipeline_dir` (relative to the file), each pipeline's definition
// is written there as <name>.yaml (or .json) and the file names it; otherwise
// definitions are inline. `write` writes a file beside the configuration.
Result<std::string> ExportYaml(const Json& exported, const std::string& pipeline_dir,
                               const std::function<Status(const std::string& path, const std::string& text)>& write);

}  // namespace grove::app
