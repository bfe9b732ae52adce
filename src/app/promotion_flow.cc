#include "app/promotion_flow.h"

#include <algorithm>
#include <set>

#include "registry/resource_name.h"
#include "serving/endpoint_resolution.h"
#include "serving/payload.h"

namespace grove::app {

namespace {

Status Bad(const std::string& flow, const std::string& path, const std::string& message) {
  return Status::InvalidArgument("promotion flow '" + flow + "'" + (path.empty() ? "" : ", " + path) + ": " +
                                 message);
}

// Every member of `object` must be one of `known`.
Status CheckMembers(const std::string& flow, const std::string& prefix, const Json& object,
                    const std::set<std::string>& known, std::string* field) {
  for (const auto& [key, value] : object.items()) {
    if (known.count(key)) continue;
    std::string names;
    for (const std::string& k : known) names += (names.empty() ? "" : ", ") + k;
    *field = prefix + key;
    return Bad(flow, *field, "unknown member (expected " + names + ")");
  }
  return Status::OK();
}

Result<std::string> StringMember(const std::string& flow, const Json& object, const std::string& key,
                                 const std::string& path, std::string* field) {
  *field = path;
  if (!object.contains(key)) return Bad(flow, path, "required");
  if (!object[key].is_string()) return Bad(flow, path, "expected a string, got " + object[key].dump());
  return object[key].get<std::string>();
}

Result<std::vector<std::string>> StringList(const std::string& flow, const Json& value, const std::string& path,
                                            std::string* field) {
  *field = path;
  if (!value.is_array()) return Bad(flow, path, "expected a list of strings, got " + value.dump());
  std::vector<std::string> out;
  for (size_t i = 0; i < value.size(); ++i) {
    *field = path + "/" + std::to_string(i);
    if (!value[i].is_string() || value[i].get<std::string>().empty()) {
      return Bad(flow, *field, "expected a non-empty string, got " + value[i].dump());
    }
    out.push_back(value[i].get<std::string>());
  }
  return out;
}

// A glob stands for names of the model-group rule: its wildcards are read as letters.
Status CheckGroupGlob(const std::string& flow, const std::string& glob, const std::string& path) {
  std::string name = glob;
  std::replace_if(name.begin(), name.end(), [](char c) { return c == '*' || c == '?'; }, 'a');
  if (!registry::ValidateModelGroupName(name).ok()) {
    return Bad(flow, path, "'" + glob + "' is no model group name or glob: use letters, digits, '-' and the "
                           "wildcards '*' and '?', e.g. churn-*");
  }
  return Status::OK();
}

Status CheckSample(const std::string& flow, const std::string& sample, bool raw) {
  Result<serving::PredictRequest> rows =
      serving::ParseCsvRequest(sample, raw ? serving::InputKind::kRaw : serving::InputKind::kFeatures);
  if (!rows.ok()) return Bad(flow, "gate/sample", "not CSV rows: " + rows.status().message());
  if (rows->rows == 0) return Bad(flow, "gate/sample", "no rows: give at least one CSV row of feature values");
  return Status::OK();
}

Result<PromotionGate> GateFromJson(const std::string& flow, const Json& body, std::string* field) {
  *field = "gate";
  if (!body.contains("gate")) return Bad(flow, "gate", "required (with a sample of CSV feature rows)");
  const Json& gate = body["gate"];
  if (!gate.is_object()) return Bad(flow, "gate", "expected an object, got " + gate.dump());
  RETURN_IF_ERROR(CheckMembers(flow, "gate/", gate, {"sample", "input", "quality_check"}, field));
  PromotionGate out;
  if (gate.contains("input")) {
    *field = "gate/input";
    if (gate["input"] != "raw" && gate["input"] != "features") {
      return Bad(flow, *field, "expected raw or features, got " + gate["input"].dump());
    }
    out.raw = gate["input"] == "raw";
  }
  ASSIGN_OR_RETURN(out.sample, StringMember(flow, gate, "sample", "gate/sample", field));
  RETURN_IF_ERROR(CheckSample(flow, out.sample, out.raw));
  if (gate.contains("quality_check")) {
    *field = "gate/quality_check";
    if (!gate["quality_check"].is_boolean()) {
      return Bad(flow, *field, "expected true or false, got " + gate["quality_check"].dump());
    }
    out.quality_check = gate["quality_check"].get<bool>();
  }
  return out;
}

Result<std::string> EndpointMember(const std::string& flow, const Json& body, const std::string& key,
                                   std::string* field) {
  ASSIGN_OR_RETURN(std::string name, StringMember(flow, body, key, key, field));
  Status valid = registry::ValidateEndpointName(name);
  if (!valid.ok()) return Bad(flow, key, valid.message());
  return name;
}

Result<PromotionFlowSpec> FromJson(const std::string& name, const Json& body, std::string* field) {
  *field = "";
  Status valid_name = registry::ValidateEndpointName(name);
  if (!valid_name.ok()) {
    return Status::InvalidArgument("promotion flow name '" + name +
                                   "' is not valid: use 1-63 letters, digits and '-', not starting or ending "
                                   "with '-'");
  }
  if (!body.is_object()) return Bad(name, "", "expected an object, got " + body.dump());
  RETURN_IF_ERROR(CheckMembers(name, "", body, {"groups", "staging", "production", "gate", "approvers"}, field));
  PromotionFlowSpec spec;
  spec.name = name;
  *field = "groups";
  if (!body.contains("groups")) return Bad(name, "groups", "required (globs of model group names, e.g. churn-*)");
  ASSIGN_OR_RETURN(spec.groups, StringList(name, body["groups"], "groups", field));
  if (spec.groups.empty()) return Bad(name, "groups", "give at least one model group name or glob");
  for (size_t i = 0; i < spec.groups.size(); ++i) {
    *field = "groups/" + std::to_string(i);
    RETURN_IF_ERROR(CheckGroupGlob(name, spec.groups[i], *field));
  }
  ASSIGN_OR_RETURN(spec.staging, EndpointMember(name, body, "staging", field));
  ASSIGN_OR_RETURN(spec.production, EndpointMember(name, body, "production", field));
  if (spec.production == spec.staging) {
    return Bad(name, "production", "the same endpoint as staging ('" + spec.staging + "'): give two endpoints");
  }
  ASSIGN_OR_RETURN(spec.gate, GateFromJson(name, body, field));
  if (body.contains("approvers")) {
    ASSIGN_OR_RETURN(spec.approvers, StringList(name, body["approvers"], "approvers", field));
  }
  *field = "";
  return spec;
}

}  // namespace

Result<PromotionFlowSpec> PromotionFlowFromJson(const std::string& name, const Json& body, std::string* field) {
  std::string ignored;
  return FromJson(name, body, field != nullptr ? field : &ignored);
}

Json ToJson(const PromotionFlowSpec& spec) {
  return {{"groups", spec.groups},
          {"staging", spec.staging},
          {"production", spec.production},
          {"gate",
           {{"sample", spec.gate.sample},
            {"input", spec.gate.raw ? "raw" : "features"},
            {"quality_check", spec.gate.quality_check}}},
          {"approvers", spec.approvers}};
}

bool FlowCoversGroup(const PromotionFlowSpec& spec, const std::string& group) {
  return std::any_of(spec.groups.begin(), spec.groups.end(),
                     [&](const std::string& glob) { return serving::MatchesPattern(glob, group); });
}

Status PutPromotionFlow(store::StoreTransaction& txn, const PromotionFlowSpec& spec, TimeMs now) {
  RETURN_IF_ERROR(PromotionFlowFromJson(spec.name, ToJson(spec), nullptr).status());
  ASSIGN_OR_RETURN(auto existing, txn.FindResource(kPromotionFlowKind, spec.name));
  return txn.PutResource({kPromotionFlowKind, spec.name, ToJson(spec), existing ? existing->created_at : now, now});
}

Result<bool> DeletePromotionFlow(store::StoreTransaction& txn, const std::string& name) {
  return txn.DeleteResource(kPromotionFlowKind, name);
}

Result<std::vector<PromotionFlowSpec>> ListPromotionFlows(store::StoreReader& rows) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all, rows.ListResources(kPromotionFlowKind, "", "", 0));
  std::vector<PromotionFlowSpec> flows;
  for (const store::ResourceRecord& r : all) {
    Result<PromotionFlowSpec> spec = PromotionFlowFromJson(r.name, r.body, nullptr);
    if (!spec.ok()) return spec.status().WithContext("stored promotion flow " + r.name);
    flows.push_back(std::move(*spec));
  }
  return flows;
}

Result<PromotionFlowSpec> GetPromotionFlow(store::StoreReader& rows, const std::string& name) {
  ASSIGN_OR_RETURN(auto record, rows.FindResource(kPromotionFlowKind, name));
  if (record) {
    Result<PromotionFlowSpec> spec = PromotionFlowFromJson(name, record->body, nullptr);
    if (!spec.ok()) return spec.status().WithContext("stored promotion flow " + name);
    return spec;
  }
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all, rows.ListResources(kPromotionFlowKind, "", "", 0));
  std::string names;
  for (const store::ResourceRecord& r : all) names += (names.empty() ? "" : ", ") + r.name;
  return Status::NotFound("no promotion flow '" + name + "' (" +
                          (names.empty() ? "there are none: declare one in grove.yaml's promotions: or with "
                                           "`grove promotion flow create`"
                                         : "flows: " + names) +
                          ")");
}

}  // namespace grove::app
