#pragma once

// A configuration file (grove.yaml, docs/configuration.md) read into what it
// declares: per section (config_sections.h), each entry's canonical body.
// Files it names (pipeline definitions, samples) are read here, so the
// document is self-contained: a client sends it to a server as JSON.

#include <filesystem>
#include <map>
#include <string>

#include "common/json.h"
#include "common/status.h"

namespace grove::app {

struct ConfigDocument {
  std::string source;  // The file as named, e.g. "grove.yaml".
  // Section -> entry name -> canonical body; a section the file leaves out is absent.
  std::map<std::string, std::map<std::string, Json>> sections;
  // "section/name[/member...]" -> "file:line:col", for messages.
  std::map<std::string, std::string> positions;

  // The position of `path` or of its nearest enclosing entry; "" when unknown.
  std::string Locate(const std::string& path) const;
  // A message about entry `section/name` at its position: "file:line:col: message".
  Status Located(const Status& status) const;
};

// Reads the file at `path`; relative paths in it are resolved against its
// folder. Errors carry file:line:col and the entry's path.
Result<ConfigDocument> ReadConfigFile(const std::filesystem::path& path);
// The same from text; `source` names it in messages.
Result<ConfigDocument> ParseConfigText(const std::string& text, const std::string& source,
                                       const std::filesystem::path& base);

// {section: {name: body}, "source": file}: what a client sends a server.
Json ToJson(const ConfigDocument& doc);
// The inverse, each body checked again. Errors name "section/name".
Result<ConfigDocument> ConfigDocumentFromJson(const Json& json);

}  // namespace grove::app
