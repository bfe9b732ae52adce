#include "app/config_document.h"

#include <yaml-cpp/yaml.h>

#include "app/config_sections.h"
#include "common/edit_distance.h"
#include "common/file_util.h"
#include "common/utf8.h"
#include "pipeline/yaml_json.h"

namespace grove::app {

namespace {

const ConfigSection* FindSection(const std::string& name) {
  for (const ConfigSection& s : ConfigSections()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

std::string SectionNames() {
  std::string out;
  for (const ConfigSection& s : ConfigSections()) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

// "endpoints/models/follow/0" as "endpoints.models.follow[0]".
std::string Dotted(const std::string& path) {
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    const bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    out += index && !out.empty() ? "[" + part + "]" : (out.empty() ? "" : ".") + part;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

// Adds entry `name` of `section` from its declared JSON. On error the message
// names the entry, and `*path` the member at fault.
Status AddEntry(ConfigDocument& doc, const ConfigSection& section, const std::string& name, const Json& declared,
                const std::filesystem::path& base, std::string* path) {
  std::string field;
  Result<Json> body = section.canonical(name, declared, base, &field);
  *path = std::string(section.name) + "/" + name + (field.empty() ? "" : "/" + field);
  if (!body.ok()) return Status(body.status().code(), Dotted(*path) + ": " + body.status().message());
  doc.sections[section.name][name] = std::move(*body);
  return Status::OK();
}

}  // namespace

std::string ConfigDocument::Locate(const std::string& path) const {
  for (std::string p = path;; p = p.substr(0, p.rfind('/'))) {
    if (auto it = positions.find(p); it != positions.end()) return it->second;
    if (p.find('/') == std::string::npos) return "";
  }
}

Status ConfigDocument::Located(const Status& status) const {
  const std::string& m = status.message();
  const size_t colon = m.find(": ");
  if (status.ok() || colon == std::string::npos) return status;
  const std::string at = Locate(m.substr(0, colon));
  if (at.empty()) return status;
  return Status(status.code(), at + ": " + Dotted(m.substr(0, colon)) + m.substr(colon));
}

Result<ConfigDocument> ParseConfigText(const std::string& text, const std::string& source,
                                       const std::filesystem::path& base) {
  ConfigDocument doc;
  doc.source = source;
  RETURN_IF_ERROR(CheckUtf8Text(text, source, "a configuration file"));  // Its strings become JSON.
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ":" + std::to_string(e.mark.line + 1) + ":" +
                                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  pipeline::YamlPositions positions;
  Json json;
  try {
    json = pipeline::YamlToJson(root, &positions);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ":" + std::to_string(e.mark.line + 1) + ":" +
                                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  for (const auto& [path, at] : positions) {
    doc.positions[path] = source + ":" + std::to_string(at.first) + ":" + std::to_string(at.second);
  }
  auto error = [&](const std::string& path, const std::string& message) {
    std::string at = doc.Locate(path);
    return Status::InvalidArgument((at.empty() ? source : at) + ": " + message);
  };
  if (json.is_null()) return doc;  // An empty file declares nothing.
  if (!json.is_object()) return error("", "expected a mapping of sections: " + SectionNames());
  for (const auto& [key, entries] : json.items()) {
    const ConfigSection* section = FindSection(key);
    if (section == nullptr) {
      std::vector<std::string> names;
      for (const ConfigSection& s : ConfigSections()) names.push_back(s.name);
      return error(key, "unknown section '" + key + "'" + DidYouMean(key, names) + " (sections: " + SectionNames() +
                            ")");
    }
    if (entries.is_null()) continue;
    if (!entries.is_object()) return error(key, key + ": expected a mapping of names to " + section->noun + "s");
    for (const auto& [name, declared] : entries.items()) {
      std::string path;
      Status s = AddEntry(doc, *section, name, declared, base, &path);
      if (!s.ok()) return Status(s.code(), (doc.Locate(path).empty() ? source : doc.Locate(path)) + ": " + s.message());
    }
  }
  return doc;
}

Result<ConfigDocument> ReadConfigFile(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  std::filesystem::path base = path.parent_path();
  if (base.empty()) base = ".";
  return ParseConfigText(text, path.string(), base);
}

Json ToJson(const ConfigDocument& doc) {
  Json out = {{"source", doc.source}};
  for (const auto& [section, entries] : doc.sections) {
    Json& s = out[section] = Json::object();
    for (const auto& [name, body] : entries) s[name] = body;
  }
  return out;
}

Result<ConfigDocument> ConfigDocumentFromJson(const Json& json) {
  if (!json.is_object()) return Status::InvalidArgument("expected a configuration document (an object of sections)");
  ConfigDocument doc;
  if (json.contains("source") && !json["source"].is_string()) {
    return Status::InvalidArgument("source: expected the configuration file's name");
  }
  doc.source = json.value("source", "grove.yaml");
  for (const auto& [key, entries] : json.items()) {
    if (key == "source") continue;
    const ConfigSection* section = FindSection(key);
    if (section == nullptr) {
      return Status::InvalidArgument("unknown section '" + key + "' (sections: " + SectionNames() + ")");
    }
    if (!entries.is_object()) return Status::InvalidArgument(key + ": expected an object of names to bodies");
    for (const auto& [name, body] : entries.items()) {
      std::string path;
      RETURN_IF_ERROR(AddEntry(doc, *section, name, body, /*base=*/"", &path));  // No files: see ReadNamedFile.
    }
  }
  return doc;
}

}  // namespace grove::app
