#include "app/configuration.h"

#include <yaml-cpp/yaml.h>

#include "app/config_sections.h"
#include "app/home.h"
#include "common/clock.h"
#include "pipeline/sagemaker_json_reader.h"

namespace grove::app {

namespace {

// What `doc` changes in the store `rows` reads.
Result<ConfigPlan> Diff(store::StoreReader& rows, const ConfigDocument& doc, bool prune) {
  ConfigPlan plan;
  std::vector<ConfigChange> removals;
  for (const ConfigSection& section : ConfigSections()) {
    ASSIGN_OR_RETURN(auto current, section.current(rows));
    static const std::map<std::string, Json> kNone;
    auto declared_it = doc.sections.find(section.name);
    const auto& declared = declared_it == doc.sections.end() ? kNone : declared_it->second;
    for (const auto& [name, body] : declared) {
      auto it = current.find(name);
      if (it == current.end()) {
        plan.changes.push_back({"create", section.name, section.noun, name, {}});
      } else if (auto details = section.differences(body, it->second); !details.empty()) {
        plan.changes.push_back({"change", section.name, section.noun, name, std::move(details)});
      }
    }
    for (const auto& [name, body] : current) {
      if (declared.count(name)) continue;
      if (prune) {
        removals.push_back({"remove", section.name, section.noun, name, {}});
      } else {
        plan.kept.push_back(std::string(section.noun) + " " + name);
      }
    }
  }
  // Removals in the reverse order: an endpoint goes before the pipeline feeding it.
  plan.changes.insert(plan.changes.end(), removals.rbegin(), removals.rend());
  return plan;
}

const ConfigSection& SectionOf(const ConfigChange& change) {
  for (const ConfigSection& s : ConfigSections()) {
    if (change.section == s.name) return s;
  }
  return ConfigSections().front();  // Unreachable: changes come from ConfigSections.
}

// A string as YAML: text in double quotes (so it reads back as text), a
// definition's lines as a literal block.
void Emit(YAML::Emitter& out, const Json& value) {
  if (value.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [key, item] : value.items()) {
      out << YAML::Key << key << YAML::Value;
      Emit(out, item);
    }
    out << YAML::EndMap;
  } else if (value.is_array()) {
    out << YAML::Flow << YAML::BeginSeq;
    for (const Json& item : value) Emit(out, item);
    out << YAML::EndSeq;
  } else if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.find('\n') != std::string::npos) {
      out << YAML::Literal << s;
    } else {
      out << YAML::DoubleQuoted << s;
    }
  } else if (value.is_null()) {
    out << YAML::Null;
  } else {
    out << value.dump();  // true, false and numbers, which read back as themselves.
  }
}

}  // namespace

Result<ConfigPlan> Configuration::Plan(const ConfigDocument& doc, bool prune) {
  return store::ReadValue(*home_.metadata(), [&](store::StoreReader& rows) { return Diff(rows, doc, prune); });
}

Result<ConfigApplied> Configuration::Apply(const ConfigDocument& doc, bool prune, const std::string& by) {
  return store::TransactValue(*home_.metadata(), [&](store::StoreTransaction& txn) -> Result<ConfigApplied> {
    ConfigApplied applied;
    ASSIGN_OR_RETURN(applied.plan, Diff(txn, doc, prune));
    ConfigWrite write{home_, txn, home_.clock()->Now(), by, doc.source, &applied.created_keys};
    for (const ConfigChange& change : applied.plan.changes) {
      const ConfigSection& section = SectionOf(change);
      Status s = change.action == "remove"
                     ? section.remove(write, change.name)
                     : section.put(write, change.name, doc.sections.at(change.section).at(change.name),
                                   change.action == "change");
      if (!s.ok()) return s.WithContext(change.section + "/" + change.name);
    }
    return applied;
  });
}

Result<Json> Configuration::Export() {
  return store::ReadValue(*home_.metadata(), [&](store::StoreReader& rows) -> Result<Json> {
    Json out = Json::object();
    for (const ConfigSection& section : ConfigSections()) {
      ASSIGN_OR_RETURN(auto current, section.current(rows));
      if (current.empty()) continue;
      Json& entries = out[section.name] = Json::object();
      for (const auto& [name, body] : current) entries[name] = section.exported(body);
    }
    return out;
  });
}

Json ToJson(const ConfigPlan& plan) {
  Json changes = Json::array();
  for (const ConfigChange& c : plan.changes) {
    changes.push_back(
        {{"action", c.action}, {"section", c.section}, {"noun", c.noun}, {"name", c.name}, {"details", c.details}});
  }
  return {{"changes", changes}, {"kept", plan.kept}};
}

Json ToJson(const ConfigApplied& applied) {
  Json out = ToJson(applied.plan);
  out["created_keys"] = applied.created_keys;
  return out;
}

Result<std::string> ExportYaml(const Json& exported, const std::string& pipeline_dir,
                               const std::function<Status(const std::string& path, const std::string& text)>& write) {
  Json doc = exported;
  if (!pipeline_dir.empty() && doc.contains("pipelines")) {
    for (auto& [name, body] : doc["pipelines"].items()) {
      const std::string text = body.value("text", "");
      const bool json = pipeline::IsSageMakerDefinition(text);
      const std::string path = pipeline_dir + "/" + name + (json ? ".json" : ".yaml");
      RETURN_IF_ERROR(write(path, text));
      body = path;
    }
  }
  YAML::Emitter out;
  Emit(out, doc.empty() ? Json::object() : doc);
  if (!out.good()) return Status::Internal("the configuration could not be written as YAML: " + out.GetLastError());
  return "# Grove's configuration, written by grove export on " + FormatIso8601(SystemClock::Default()->Now()) +
         ".\n# `grove apply` on this file converges a data folder or server to it (docs/configuration.md).\n" +
         out.c_str() + "\n";
}

}  // namespace grove::app
