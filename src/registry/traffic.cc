#include "registry/traffic.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/number_text.h"
#include "registry/registry.h"
#include "registry/resource_name.h"
#include "store/lookups.h"

namespace grove::registry {

namespace {

using store::StoreTransaction;

std::string Ref(const VariantSpec& v) { return store::VersionRef(v.group, v.version); }

Status Check(StoreTransaction& txn, const std::string& endpoint, const TrafficSpec& traffic) {
  RETURN_IF_ERROR(store::RequireEndpoint(txn, endpoint).status());
  const auto shadows = std::count_if(traffic.variants.begin(), traffic.variants.end(),
                                     [](const VariantSpec& v) { return v.shadow; });
  if (shadows > kMaxVariants || static_cast<int64_t>(traffic.variants.size()) - shadows > kMaxVariants) {
    return Status::InvalidArgument("endpoint '" + endpoint + "': at most " + std::to_string(kMaxVariants) +
                                   " variants and " + std::to_string(kMaxVariants) + " shadows");
  }
  std::set<std::string> names;
  std::map<std::string, double> live_weight;  // group -> sum of live weights
  for (const VariantSpec& v : traffic.variants) {
    RETURN_IF_ERROR(ValidateVariantName(v.name));
    if (!names.insert(v.name).second) {
      return Status::InvalidArgument("endpoint '" + endpoint + "': variant name '" + v.name + "' is used twice");
    }
    if (!std::isfinite(v.weight) || v.weight < 0 || v.weight > kMaxWeight) {
      return Status::InvalidArgument("endpoint '" + endpoint + "': variant '" + v.name + "' has weight " +
                                     ShortNumber(v.weight) + "; weights are numbers from 0 to 1e9");
    }
    ASSIGN_OR_RETURN(store::ModelVersionRecord version, store::RequireModelVersion(txn, v.group, v.version));
    if (version.approval_status != store::kApproved) {
      return Status::FailedPrecondition("variant '" + v.name + "': " + Ref(v) + " is " + version.approval_status +
                                        "; only Approved versions take traffic");
    }
    if (!v.shadow) live_weight[v.group] += v.weight;
  }
  for (const VariantSpec& v : traffic.variants) {
    if (v.shadow && live_weight.count(v.group) == 0) continue;  // Shadows the group's live version.
    if (!v.shadow && live_weight[v.group] <= 0) {
      return Status::InvalidArgument("endpoint '" + endpoint + "': the variants of " + v.group +
                                     " have weight 0 in total; at least one must take traffic");
    }
  }
  return Status::OK();
}

}  // namespace

const VariantSpec* TrafficSpec::Find(const std::string& name) const {
  for (const VariantSpec& v : variants) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

Json ToJson(const VariantSpec& v) {
  Json out = {{"name", v.name}, {"model", Ref(v)}};
  if (v.shadow) {
    out["shadow"] = true;
  } else {
    out["weight"] = v.weight;
  }
  return out;
}

Json ToJson(const TrafficSpec& traffic) {
  Json variants = Json::array();
  for (const VariantSpec& v : traffic.variants) variants.push_back(ToJson(v));
  return {{"variants", std::move(variants)}, {"updated_by", traffic.updated_by}, {"updated_at", traffic.updated_at}};
}

Result<TrafficSpec> TrafficFromJson(const Json& json) {
  TrafficSpec traffic;
  const Json variants = json.is_object() ? json.value("variants", Json::array()) : Json();
  if (!variants.is_array()) return Status::InvalidArgument("variants: expected a list");
  for (size_t i = 0; i < variants.size(); ++i) {
    const Json& v = variants[i];
    const std::string where = "variants[" + std::to_string(i) + "]";
    if (!v.is_object()) return Status::InvalidArgument(where + ": expected an object {name, model, weight|shadow}");
    for (const auto& [key, value] : v.items()) {
      if (key != "name" && key != "model" && key != "weight" && key != "shadow") {
        return Status::InvalidArgument(where + ": unknown field '" + key + "' (fields: name, model, weight, shadow)");
      }
    }
    VariantSpec variant;
    if (!v.contains("name") || !v["name"].is_string()) return Status::InvalidArgument(where + ".name: expected text");
    variant.name = v["name"].get<std::string>();
    if (!v.contains("model") || !v["model"].is_string()) {
      return Status::InvalidArgument(where + ".model: expected \"group/version\"");
    }
    Result<std::pair<std::string, int>> ref = Registry::ParseVersionRef(v["model"].get<std::string>());
    if (!ref.ok()) return Status::InvalidArgument(where + ".model: " + ref.status().message());
    variant.group = ref->first;
    variant.version = ref->second;
    if (v.contains("weight")) {
      if (!v["weight"].is_number()) return Status::InvalidArgument(where + ".weight: expected a number");
      variant.weight = v["weight"].get<double>();
    }
    if (v.contains("shadow")) {
      if (!v["shadow"].is_boolean()) return Status::InvalidArgument(where + ".shadow: expected true or false");
      variant.shadow = v["shadow"].get<bool>();
    }
    traffic.variants.push_back(std::move(variant));
  }
  if (json.is_object()) {
    traffic.updated_by = json.value("updated_by", "");
    if (json.contains("updated_at") && json["updated_at"].is_number_integer()) {
      traffic.updated_at = json["updated_at"].get<TimeMs>();
    }
  }
  return traffic;
}

Result<TrafficSpec> Traffic::Get(store::StoreReader& rows, const std::string& endpoint) {
  ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> doc, rows.FindResource(kTrafficKind, endpoint));
  if (!doc) return TrafficSpec{};
  return TrafficFromJson(doc->body);
}

Result<TrafficSpec> Traffic::Get(const std::string& endpoint) {
  return store::ReadValue(*metadata_, [&](store::StoreReader& rows) { return Get(rows, endpoint); });
}

Status Traffic::Set(const std::string& endpoint, std::vector<VariantSpec> variants, const std::string& by) {
  return metadata_->Transact([&](StoreTransaction& txn) { return Set(txn, endpoint, variants, by); });
}

Status Traffic::Set(StoreTransaction& txn, const std::string& endpoint, std::vector<VariantSpec> variants,
                    const std::string& by) {
  TrafficSpec traffic;
  traffic.variants = std::move(variants);
  RETURN_IF_ERROR(Check(txn, endpoint, traffic));
  const TimeMs now = clock_->Now();
  traffic.updated_by = by;
  traffic.updated_at = now;
  if (traffic.variants.empty()) {
    RETURN_IF_ERROR(txn.DeleteResource(kTrafficKind, endpoint).status());
  } else {
    ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> old, txn.FindResource(kTrafficKind, endpoint));
    RETURN_IF_ERROR(txn.PutResource({kTrafficKind, endpoint, ToJson(traffic), old ? old->created_at : now, now}));
  }
  Json payload = ToJson(traffic);
  payload["endpoint"] = endpoint;
  return txn.AppendEvent(now, store::kEventEndpointTraffic, endpoint, payload).status();
}

Result<TrafficSpec> Traffic::SetWeights(const std::string& endpoint,
                                        const std::vector<std::pair<std::string, double>>& weights,
                                        const std::string& by) {
  return store::TransactValue(*metadata_, [&](StoreTransaction& txn) -> Result<TrafficSpec> {
    RETURN_IF_ERROR(store::RequireEndpoint(txn, endpoint).status());
    ASSIGN_OR_RETURN(TrafficSpec traffic, Get(txn, endpoint));
    // A plain loop variable, not a structured binding: clang 14 cannot capture those in a lambda.
    for (const std::pair<std::string, double>& wanted : weights) {
      const std::string& name = wanted.first;
      const double weight = wanted.second;
      auto found = std::find_if(traffic.variants.begin(), traffic.variants.end(),
                                [&](const VariantSpec& v) { return v.name == name && !v.shadow; });
      if (found == traffic.variants.end()) {
        std::string names;
        for (const VariantSpec& v : traffic.variants) {
          if (!v.shadow) names += (names.empty() ? "" : ", ") + v.name;
        }
        return Status::NotFound("endpoint '" + endpoint + "' has no variant '" + name +
                                "' (variants: " + (names.empty() ? "none" : names) + ")");
      }
      found->weight = weight;
    }
    RETURN_IF_ERROR(Set(txn, endpoint, std::move(traffic.variants), by));
    return Get(txn, endpoint);
  });
}

}  // namespace grove::registry
