#include "app/config_sections.h"

#include "app/access_keys.h"
#include "app/home.h"
#include "app/pipelines.h"
#include "common/file_util.h"
#include "registry/endpoints.h"
#include "registry/registry.h"
#include "registry/resource_name.h"
#include "registry/traffic.h"
#include "store/lookups.h"
#include "store/pipeline_records.h"

namespace grove::app {

Result<std::string> ReadNamedFile(const std::filesystem::path& base, const std::string& name) {
  if (base.empty()) {
    return Status::InvalidArgument("names the file '" + name +
                                   "': a document sent as JSON carries the contents of its files, not their paths");
  }
  return ReadFile(base / name);
}

// An error about member `member` of an entry.
Status FieldError(std::string* field, const std::string& member, const std::string& message) {
  *field = member;
  return Status::InvalidArgument(message);
}

// Checks that `declared` is an object with only `allowed` members.
Status CheckMembers(const Json& declared, const std::vector<std::string>& allowed, std::string* field) {
  if (!declared.is_object()) return FieldError(field, "", "expected a mapping");
  for (const auto& [key, value] : declared.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string names;
      for (const std::string& a : allowed) names += (names.empty() ? "" : ", ") + a;
      return FieldError(field, key, "unknown member '" + key + "' (expected " + names + ")");
    }
  }
  return Status::OK();
}

// Top-level members whose values differ, as "member: old -> new".
std::vector<std::string> MemberDifferences(const Json& declared, const Json& current) {
  std::vector<std::string> out;
  for (const auto& [key, value] : declared.items()) {
    const Json old = current.contains(key) ? current[key] : Json();
    if (old != value) out.push_back(key + ": " + (old.is_null() ? "(none)" : old.dump()) + " -> " + value.dump());
  }
  return out;
}

Json AsStored(const Json& current) { return current; }

namespace {

namespace fs = std::filesystem;

// --- pipelines: {text, source} -------------------------------------------

// A definition given as a mapping, as YAML text: strings double-quoted, so
// each scalar reads back as the type it has.
void EmitYaml(const Json& value, int indent, std::string& out) {
  const std::string pad(indent, ' ');
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, item] : value.items()) {
      out += pad + Json(key).dump() + ":";
      if ((item.is_object() || item.is_array()) && !item.empty()) {
        out += "\n";
        EmitYaml(item, indent + 2, out);
      } else {
        out += " " + (item.is_object() ? std::string("{}") : item.is_array() ? "[]" : item.dump()) + "\n";
      }
    }
  } else if (value.is_array() && !value.empty()) {
    for (const Json& item : value) {
      if ((item.is_object() || item.is_array()) && !item.empty()) {
        out += pad + "-\n";
        EmitYaml(item, indent + 2, out);
      } else {
        out += pad + "- " + (item.is_object() ? std::string("{}") : item.is_array() ? "[]" : item.dump()) + "\n";
      }
    }
  } else {
    out += pad + value.dump() + "\n";
  }
}

Result<pipeline::Definition> ReadPipelineText(const std::string& name, const std::string& text,
                                              const std::string& source, std::string* field,
                                              const std::string& member) {
  // ReadText checks that a definition carrying a name carries this one.
  Result<pipeline::Definition> def = Pipelines::ReadText(text, name, source);
  if (!def.ok()) return FieldError(field, member, def.status().message());
  return def;
}

Result<Json> PipelineCanonical(const std::string& name, const Json& declared, const fs::path& base,
                               std::string* field) {
  std::string text, source, member;
  if (declared.is_string() || (declared.is_object() && declared.contains("file"))) {
    if (declared.is_object()) RETURN_IF_ERROR(CheckMembers(declared, {"file"}, field));
    member = declared.is_string() ? "" : "file";
    const Json& file = declared.is_string() ? declared : declared["file"];
    if (!file.is_string() || file.get<std::string>().empty()) return FieldError(field, member, "expected a file path");
    const fs::path path = (base / file.get<std::string>()).lexically_normal();
    Result<std::string> read = ReadNamedFile(base, file.get<std::string>());
    if (!read.ok()) return FieldError(field, member, read.status().message());
    text = std::move(*read);
    source = path.string();
  } else if (declared.is_object() && declared.contains("definition")) {
    RETURN_IF_ERROR(CheckMembers(declared, {"definition"}, field));
    member = "definition";
    if (!declared["definition"].is_object()) return FieldError(field, member, "expected the definition as a mapping");
    EmitYaml(declared["definition"], 0, text);
    source = (base / "grove.yaml").string() + ": pipelines." + name;
  } else if (declared.is_object() && declared.contains("text")) {
    RETURN_IF_ERROR(CheckMembers(declared, {"text", "source"}, field));
    member = "text";
    if (!declared["text"].is_string()) return FieldError(field, member, "expected the definition's text");
    if (declared.contains("source") && !declared["source"].is_string()) {
      return FieldError(field, "source", "expected the name of where the text came from");
    }
    text = declared["text"].get<std::string>();
    source = declared.value("source", "");
  } else {
    return FieldError(field, "", "expected a definition file's path, or a mapping with file, definition or text");
  }
  RETURN_IF_ERROR(ReadPipelineText(name, text, source, field, member).status());
  return Json{{"text", text}, {"source", source}};
}

Result<std::map<std::string, Json>> PipelinesCurrent(store::StoreReader& rows) {
  std::map<std::string, Json> out;
  ASSIGN_OR_RETURN(std::vector<store::PipelineRecord> pipelines, rows.ListPipelines());
  for (const store::PipelineRecord& p : pipelines) {
    if (p.deleted_at != 0) continue;
    ASSIGN_OR_RETURN(std::optional<store::DefinitionRecord> def, rows.FindDefinition(p.name, p.latest_version));
    if (def) out[p.name] = {{"text", def->body}, {"source", def->source_path}};
  }
  return out;
}

std::vector<std::string> PipelineDifferences(const Json& declared, const Json& current) {
  if (declared["text"] == current["text"]) return {};
  return {"definition: a new version, from " + declared["source"].get<std::string>()};
}

Status PipelinePut(ConfigWrite& write, const std::string& name, const Json& declared, bool) {
  std::string field;
  ASSIGN_OR_RETURN(pipeline::Definition def, ReadPipelineText(name, declared["text"], declared["source"], &field, ""));
  store::DefinitionRecord record;
  record.pipeline = name;
  record.body = def.source_text;
  record.source_path = def.source_path;
  return store::WriteDefinition(write.txn, record, def.description, write.now).status();
}

Status PipelineRemove(ConfigWrite& write, const std::string& name) {
  return store::WritePipelineDeletion(write.txn, name, write.now);
}

Json PipelineExported(const Json& current) { return {{"text", current["text"]}}; }

// --- endpoints: {multi_model, follow, capture_percent[, deploy][, variants]} -

// The variants as registry/traffic.h writes them: [{name, model, weight | shadow}].
Json VariantsJson(const std::vector<registry::VariantSpec>& variants) {
  Json out = Json::array();
  for (const registry::VariantSpec& v : variants) out.push_back(registry::ToJson(v));
  return out;
}

Result<Json> EndpointCanonical(const std::string& name, const Json& declared, const fs::path&, std::string* field) {
  if (Status s = registry::ValidateEndpointName(name); !s.ok()) return FieldError(field, "", s.message());
  const Json body = declared.is_null() ? Json::object() : declared;
  RETURN_IF_ERROR(CheckMembers(body, {"multi_model", "follow", "capture_percent", "deploy", "variants"}, field));
  Json out = {{"multi_model", false}, {"follow", Json::array()}, {"capture_percent", 0}};
  if (body.contains("multi_model")) {
    if (!body["multi_model"].is_boolean()) return FieldError(field, "multi_model", "expected true or false");
    out["multi_model"] = body["multi_model"];
  }
  for (const char* list : {"follow", "deploy"}) {
    if (!body.contains(list)) continue;
    const Json& items = body[list];
    if (!items.is_array()) return FieldError(field, list, "expected a list");
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string at = std::string(list) + "/" + std::to_string(i);
      if (!items[i].is_string() || items[i].get<std::string>().empty()) return FieldError(field, at, "expected text");
      if (std::string(list) == "deploy") {
        auto ref = registry::Registry::ParseVersionRef(items[i]);
        if (!ref.ok()) return FieldError(field, at, ref.status().message());
        // One pin per group: a second would replace the first, and the file would never be met.
        for (size_t j = 0; j < i; ++j) {
          if (registry::Registry::ParseVersionRef(items[j])->first == ref->first) {
            return FieldError(field, at,
                              "a second pin of group '" + ref->first + "': an endpoint pins one version per group");
          }
        }
      }
    }
    out[list] = items;
  }
  if (body.contains("capture_percent")) {
    const Json& p = body["capture_percent"];
    if (!p.is_number() || p.get<double>() < 0 || p.get<double>() > 100) {
      return FieldError(field, "capture_percent", "expected a percentage from 0 to 100");
    }
    out["capture_percent"] = p;
  }
  if (body.contains("variants")) {
    Result<registry::TrafficSpec> traffic = registry::TrafficFromJson({{"variants", body["variants"]}});
    if (!traffic.ok()) return FieldError(field, "", traffic.status().message());
    out["variants"] = VariantsJson(traffic->variants);
  }
  return out;
}

Result<std::map<std::string, Json>> EndpointsCurrent(store::StoreReader& rows) {
  std::map<std::string, Json> out;
  ASSIGN_OR_RETURN(std::vector<store::EndpointRecord> endpoints, rows.ListEndpoints());
  for (const store::EndpointRecord& e : endpoints) {
    Json deploy = Json::array();
    for (const store::EndpointDeployment& d : e.deployments) deploy.push_back(store::VersionRef(d.group, d.version));
    ASSIGN_OR_RETURN(registry::TrafficSpec traffic, registry::Traffic::Get(rows, e.name));
    out[e.name] = {{"multi_model", e.multi_model},
                   {"follow", e.follow},
                   {"capture_percent", e.capture_percent},
                   {"deploy", deploy},
                   {"variants", VariantsJson(traffic.variants)}};
  }
  return out;
}

// Pins and variants are compared only when the file declares them (`deploy`,
// `variants`), so that a promotion flow, a rollout or `grove endpoint deploy`
// may own them instead.
std::vector<std::string> EndpointDifferences(const Json& declared, const Json& current) {
  Json compared = current;
  if (!declared.contains("deploy")) compared.erase("deploy");
  if (!declared.contains("variants")) compared.erase("variants");
  // 10 and 10.0 are the same percentage.
  if (declared["capture_percent"].get<double>() == current["capture_percent"].get<double>()) {
    compared["capture_percent"] = declared["capture_percent"];
  }
  return MemberDifferences(declared, compared);
}

store::EndpointRecord EndpointRecordOf(const std::string& name, const Json& declared) {
  store::EndpointRecord e;
  e.name = name;
  e.multi_model = declared["multi_model"];
  e.follow = declared["follow"].get<std::vector<std::string>>();
  e.capture_percent = declared["capture_percent"].get<double>();
  return e;
}

Result<store::EndpointDeployment> Pin(const std::string& ref, const std::string& by) {
  ASSIGN_OR_RETURN(auto parsed, registry::Registry::ParseVersionRef(ref));
  store::EndpointDeployment d;
  d.group = parsed.first;
  d.version = parsed.second;
  d.deployed_by = by;
  d.comment = "grove apply";
  return d;
}

// Sets the declared variants, when the file declares them and they differ.
Status PutVariants(ConfigWrite& write, const std::string& name, const Json& declared) {
  if (!declared.contains("variants")) return Status::OK();
  registry::Traffic traffic(write.home.metadata(), write.home.clock());
  ASSIGN_OR_RETURN(registry::TrafficSpec now, registry::Traffic::Get(write.txn, name));
  ASSIGN_OR_RETURN(registry::TrafficSpec wanted, registry::TrafficFromJson({{"variants", declared["variants"]}}));
  if (VariantsJson(now.variants) == declared["variants"]) return Status::OK();
  return traffic.Set(write.txn, name, wanted.variants, write.by);
}

Status EndpointPut(ConfigWrite& write, const std::string& name, const Json& declared, bool exists) {
  registry::Endpoints endpoints(write.home.metadata(), write.home.clock());
  store::EndpointRecord e = EndpointRecordOf(name, declared);
  if (!exists) {
    for (const Json& ref : declared.value("deploy", Json::array())) {
      ASSIGN_OR_RETURN(store::EndpointDeployment d, Pin(ref, write.by));
      e.deployments.push_back(d);
    }
    RETURN_IF_ERROR(endpoints.Create(write.txn, e).status());
    return PutVariants(write, name, declared);
  }
  ASSIGN_OR_RETURN(store::EndpointRecord old, store::RequireEndpoint(write.txn, name));
  if (old.multi_model != e.multi_model || old.follow != e.follow || old.capture_percent != e.capture_percent) {
    RETURN_IF_ERROR(endpoints.Update(write.txn, e).status());
  }
  RETURN_IF_ERROR(PutVariants(write, name, declared));
  if (!declared.contains("deploy")) return Status::OK();
  std::map<std::string, int> wanted;
  for (const Json& ref : declared["deploy"]) {
    ASSIGN_OR_RETURN(store::EndpointDeployment d, Pin(ref, write.by));
    wanted[d.group] = d.version;
    bool pinned = false;
    for (const store::EndpointDeployment& o : old.deployments) pinned |= o.group == d.group && o.version == d.version;
    if (!pinned) RETURN_IF_ERROR(endpoints.Deploy(write.txn, name, d).status());
  }
  for (const store::EndpointDeployment& o : old.deployments) {
    if (!wanted.count(o.group)) RETURN_IF_ERROR(endpoints.Undeploy(write.txn, name, o.group, write.by).status());
  }
  return Status::OK();
}

Status EndpointRemove(ConfigWrite& write, const std::string& name) {
  return registry::Endpoints(write.home.metadata(), write.home.clock()).Delete(write.txn, name);
}

Json EndpointExported(const Json& current) {
  Json out = Json::object();
  if (current["multi_model"].get<bool>()) out["multi_model"] = true;
  if (!current["follow"].empty()) out["follow"] = current["follow"];
  if (current["capture_percent"].get<double>() != 0) out["capture_percent"] = current["capture_percent"];
  if (!current["deploy"].empty()) out["deploy"] = current["deploy"];
  if (!current["variants"].empty()) out["variants"] = current["variants"];
  return out;
}

// --- keys: {role}; the secrets are made, never declared -------------------

bool IsGroveOwnKey(const std::string& name) { return name == kStepKeyName || name == kAdminKeyName; }

Result<Json> KeyCanonical(const std::string& name, const Json& declared, const fs::path&, std::string* field) {
  if (IsGroveOwnKey(name)) {
    return FieldError(field, "", "'" + name + "' is Grove's own key, made by Grove; declare another name");
  }
  RETURN_IF_ERROR(CheckMembers(declared, {"role"}, field));
  const Json& role = declared.contains("role") ? declared["role"] : Json();
  if (!role.is_string() || !ParseRole(role.get<std::string>())) {
    return FieldError(field, declared.contains("role") ? "role" : "", "expected a role: one of " + RoleNames());
  }
  return Json{{"role", role}};
}

Result<std::vector<AccessKey>> ActiveKeys(store::StoreReader& rows, const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<AccessKey> keys, ListAccessKeys(rows));
  std::vector<AccessKey> out;
  for (AccessKey& k : keys) {
    if (k.active() && k.name == name) out.push_back(std::move(k));
  }
  return out;
}

Result<std::map<std::string, Json>> KeysCurrent(store::StoreReader& rows) {
  std::map<std::string, Json> out;
  ASSIGN_OR_RETURN(std::vector<AccessKey> keys, ListAccessKeys(rows));
  for (const AccessKey& k : keys) {
    if (k.active() && !IsGroveOwnKey(k.name) && !out.count(k.name)) out[k.name] = {{"role", RoleName(k.role)}};
  }
  return out;
}

Status KeyPut(ConfigWrite& write, const std::string& name, const Json& declared, bool exists) {
  const Role role = *ParseRole(declared["role"].get<std::string>());
  if (!exists) {
    ASSIGN_OR_RETURN(AccessKey key, CreateAccessKey(write.txn, role, name, write.now));
    Json made = NewKeyJson(key);
    write.created_keys->push_back(std::move(made));
    return Status::OK();
  }
  ASSIGN_OR_RETURN(std::vector<AccessKey> keys, ActiveKeys(write.txn, name));
  for (const AccessKey& k : keys) RETURN_IF_ERROR(SetAccessKeyRole(write.txn, k.id, role).status());
  return Status::OK();
}

Status KeyRemove(ConfigWrite& write, const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<AccessKey> keys, ActiveKeys(write.txn, name));
  for (const AccessKey& k : keys) RETURN_IF_ERROR(RevokeAccessKey(write.txn, k.id, write.now).status());
  return Status::OK();
}

}  // namespace

const std::vector<ConfigSection>& ConfigSections() {
  static const std::vector<ConfigSection> kSections = {
      {"pipelines", "pipeline", PipelineCanonical, PipelinesCurrent, PipelineDifferences, PipelinePut, PipelineRemove,
       PipelineExported},
      {"endpoints", "endpoint", EndpointCanonical, EndpointsCurrent, EndpointDifferences, EndpointPut,
       EndpointRemove, EndpointExported},
      PromotionsSection(),
      TriggersSection(),
      HooksSection(),
      {"keys", "key", KeyCanonical, KeysCurrent, MemberDifferences, KeyPut, KeyRemove, AsStored},
  };
  return kSections;
}

}  // namespace grove::app
