#include "app/config_sections.h"

#include "app/promotion_flow.h"
#include "common/file_util.h"
#include "events/hook_records.h"
#include "events/trigger_records.h"

namespace grove::app {

namespace {

namespace fs = std::filesystem;

// --- triggers: the triggers file's members but name, source and paused ----

Json TriggerBody(const events::TriggerSpec& spec) {
  Json body = events::ToJson(spec);
  for (const char* own : {"name", "source", "paused"}) body.erase(own);
  return body;
}

Result<Json> TriggerCanonical(const std::string& name, const Json& declared, const fs::path& base,
                              std::string* field) {
  if (!declared.is_object()) return FieldError(field, "", "expected a mapping");
  if (declared.contains("name")) return FieldError(field, "name", "the trigger's name is its key");
  Json json = declared;
  json["name"] = name;
  // The file's scalars are typed; the triggers reader takes parameters as text.
  for (const char* map : {"parameters", "queue"}) {
    if (!json.contains(map) || !json[map].is_object()) continue;
    for (auto& [key, value] : json[map].items()) {
      if (!value.is_string() && !value.is_object() && !value.is_array()) value = value.dump();
    }
  }
  Result<events::TriggerSpec> spec = events::TriggerSpecFromJson(json);
  Status s = spec.ok() ? events::CheckTriggerSpec(*spec) : spec.status();
  if (!s.ok()) {
    // Point at the member the message names, when it names one.
    std::string member;
    for (const auto& [key, value] : declared.items()) {
      if (s.message().find(key) != std::string::npos) member = key;
    }
    return FieldError(field, member, s.message());
  }
  if (events::IsPipelineFile(spec->pipeline) && !fs::path(spec->pipeline).is_absolute()) {
    spec->pipeline = (base / spec->pipeline).lexically_normal().string();
  }
  return TriggerBody(*spec);
}

Result<std::map<std::string, Json>> TriggersCurrent(store::StoreReader& rows) {
  std::map<std::string, Json> out;
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all, rows.ListResources(events::kTriggerKind, "", "", 0));
  for (const store::ResourceRecord& r : all) {
    Result<events::TriggerSpec> spec = events::TriggerSpecFromJson(r.body);
    if (!spec.ok()) return spec.status().WithContext("stored trigger " + r.name);
    out[r.name] = TriggerBody(*spec);
  }
  return out;
}

Status TriggerPut(ConfigWrite& write, const std::string& name, const Json& declared, bool) {
  Json json = declared;
  json["name"] = name;
  ASSIGN_OR_RETURN(events::TriggerSpec spec, events::TriggerSpecFromJson(json));
  spec.source = write.source;
  return events::UpsertTrigger(write.txn, spec, write.now);
}

Status TriggerRemove(ConfigWrite& write, const std::string& name) {
  return write.txn.DeleteResource(events::kTriggerKind, name).status();
}

Json TriggerExported(const Json& current) {
  Json out = current;
  if (out.value("settle_ms", 0) == events::TriggerSpec().settle_ms) out.erase("settle_ms");
  if (out.contains("parameters") && out["parameters"].empty()) out.erase("parameters");
  return out;
}

// --- hooks: events/hook_spec.h's members -----------------------------------

Result<Json> HookCanonical(const std::string& name, const Json& declared, const fs::path&, std::string* field) {
  ASSIGN_OR_RETURN(events::HookSpec spec, events::HookSpecFromJson(name, declared, field));
  return events::ToJson(spec);
}

Result<std::map<std::string, Json>> HooksCurrent(store::StoreReader& rows) {
  std::map<std::string, Json> out;
  ASSIGN_OR_RETURN(std::vector<events::HookSpec> hooks, events::ListHooks(rows));
  for (const events::HookSpec& h : hooks) out[h.name] = events::ToJson(h);
  return out;
}

Status HookPut(ConfigWrite& write, const std::string& name, const Json& declared, bool) {
  std::string field;
  ASSIGN_OR_RETURN(events::HookSpec spec, events::HookSpecFromJson(name, declared, &field));
  return events::PutHook(write.txn, spec, write.now);
}

Status HookRemove(ConfigWrite& write, const std::string& name) {
  return events::DeleteHook(write.txn, name).status();
}

// --- promotions: app/promotion_flow.h's members; gate.sample_file is read ---

Result<Json> PromotionCanonical(const std::string& name, const Json& declared, const fs::path& base,
                                std::string* field) {
  Json body = declared;
  if (body.is_object() && body.contains("gate") && body["gate"].is_object() && body["gate"].contains("sample_file")) {
    Json& gate = body["gate"];
    if (gate.contains("sample")) return FieldError(field, "gate/sample_file", "give sample or sample_file, not both");
    if (!gate["sample_file"].is_string()) return FieldError(field, "gate/sample_file", "expected a file path");
    Result<std::string> sample = ReadNamedFile(base, gate["sample_file"].get<std::string>());
    if (!sample.ok()) return FieldError(field, "gate/sample_file", sample.status().message());
    gate.erase("sample_file");
    gate["sample"] = *sample;
  }
  ASSIGN_OR_RETURN(PromotionFlowSpec spec, PromotionFlowFromJson(name, body, field));
  return ToJson(spec);
}

Result<std::map<std::string, Json>> PromotionsCurrent(store::StoreReader& rows) {
  std::map<std::string, Json> out;
  ASSIGN_OR_RETURN(std::vector<PromotionFlowSpec> flows, ListPromotionFlows(rows));
  for (const PromotionFlowSpec& f : flows) out[f.name] = ToJson(f);
  return out;
}

Status PromotionPut(ConfigWrite& write, const std::string& name, const Json& declared, bool) {
  std::string field;
  ASSIGN_OR_RETURN(PromotionFlowSpec spec, PromotionFlowFromJson(name, declared, &field));
  return PutPromotionFlow(write.txn, spec, write.now);
}

Status PromotionRemove(ConfigWrite& write, const std::string& name) {
  return DeletePromotionFlow(write.txn, name).status();
}

}  // namespace

ConfigSection PromotionsSection() {
  return {"promotions", "promotion flow", PromotionCanonical, PromotionsCurrent, MemberDifferences, PromotionPut,
          PromotionRemove, AsStored};
}

ConfigSection TriggersSection() {
  return {"triggers", "trigger", TriggerCanonical, TriggersCurrent, MemberDifferences, TriggerPut, TriggerRemove,
          TriggerExported};
}

ConfigSection HooksSection() {
  return {"hooks", "hook", HookCanonical, HooksCurrent, MemberDifferences, HookPut, HookRemove, AsStored};
}

}  // namespace grove::app
