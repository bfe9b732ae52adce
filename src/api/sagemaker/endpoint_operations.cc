// DescribeEndpoint and ListEndpoints over the server's EndpointService (what
// it serves right now) and the stored endpoint records (when they changed).
#include <algorithm>
#include <climits>

#include "api/sagemaker/operations.h"
#include "api/sagemaker/resource_documents.h"
#include "app/endpoints.h"
#include "api/sagemaker/wire.h"
#include "serving/endpoint_service.h"
#include "store/metadata_store.h"

namespace grove::api::sagemaker {

namespace {

// SageMaker's EndpointStatus for Grove's endpoint status: an endpoint with no
// Approved version to serve is OutOfService.
std::string EndpointStatus(const serving::EndpointState& state) {
  if (state.status == "NoModels") return "OutOfService";
  return state.status;  // InService | Creating
}

Json SummaryJson(const OperationContext& ctx, const serving::EndpointState& state, const store::EndpointRecord& r) {
  return {{"EndpointName", state.name},
          {"EndpointArn", ctx.arns.Resource("endpoint", state.name)},
          {"CreationTime", Timestamp(r.created_at)},
          {"LastModifiedTime", Timestamp(std::max(r.created_at, r.updated_at))},
          {"EndpointStatus", EndpointStatus(state)}};
}

// The endpoint's state and record; ValidationException "Could not find
// endpoint" (waiters and the SageMaker SDK depend on it) when missing.
Result<std::pair<serving::EndpointState, store::EndpointRecord>> FindEndpoint(const OperationContext& ctx,
                                                                             const std::string& name) {
  const Status missing =
      Status::InvalidArgument("Could not find endpoint \"" + ctx.arns.Resource("endpoint", name) + "\".");
  Result<store::EndpointRecord> record = ctx.home->metadata()->GetEndpoint(name);
  if (record.status().code() == StatusCode::kNotFound) return missing;
  RETURN_IF_ERROR(record.status());
  for (serving::EndpointState& state : ctx.endpoints->Describe()) {
    if (state.name == name) return std::make_pair(std::move(state), std::move(*record));
  }
  return missing;  // Stored, but not yet in this server's snapshot.
}

// The one production variant through which an endpoint without variants of
// its own (registry/traffic.h) serves every model:
// its config's first variant (CreateEndpoint, UpdateEndpoint), or AllTraffic
// for an endpoint Grove's own commands made (its config is itself), with the
// weight and instance count last asked for (UpdateEndpointWeightsAndCapacities).
struct Variant {
  Json source;  // The endpoint's source document: {EndpointConfigName, DesiredWeight?, DesiredInstanceCount?}.
  std::string config;
  std::string name = "AllTraffic";
  double weight = 1.0;
  int64_t instances = 1;
};

Result<Variant> VariantOf(const OperationContext& ctx, const std::string& endpoint) {
  Variant v;
  ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> source,
                   ResourceDocuments(ctx.home->metadata(), ctx.home->clock()).Find(kEndpointSourceKind, endpoint));
  v.source = source ? source->body : Json{{"EndpointConfigName", endpoint}};
  v.config = v.source.value("EndpointConfigName", endpoint);
  if (source) {
    Result<store::ResourceRecord> config = FindEndpointConfig(ctx, v.config);  // It may have been deleted since.
    const Json variants = config.ok() ? config->body.value("ProductionVariants", Json::array()) : Json::array();
    const Json first = variants.is_array() && !variants.empty() ? variants[0] : Json();
    if (first.is_object()) {
      v.name = first.value("VariantName", v.name);
      if (first.contains("InitialVariantWeight") && first["InitialVariantWeight"].is_number()) {
        v.weight = first["InitialVariantWeight"].get<double>();
      }
      if (first.contains("InitialInstanceCount") && first["InitialInstanceCount"].is_number_integer()) {
        v.instances = first["InitialInstanceCount"].get<int64_t>();
      }
    }
  }
  if (v.source.contains("DesiredWeight")) v.weight = v.source["DesiredWeight"].get<double>();
  if (v.source.contains("DesiredInstanceCount")) v.instances = v.source["DesiredInstanceCount"].get<int64_t>();
  return v;
}

Result<Json> DescribeEndpoint(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("EndpointName"));
  ASSIGN_OR_RETURN(auto found, FindEndpoint(ctx, name));
  const auto& [state, record] = found;
  Json out = SummaryJson(ctx, state, record);
  ASSIGN_OR_RETURN(Variant variant, VariantOf(ctx, name));
  out["EndpointConfigName"] = variant.config;
  const Json resolved_at = Timestamp(std::max(record.created_at, record.updated_at));
  if (state.variants.empty()) {
    Json images = Json::array();
    for (const serving::ServedModelState& m : state.models) {
      images.push_back({{"SpecifiedImage", "grove/" + m.group + ":" + std::to_string(m.version)},
                        {"ResolutionTime", resolved_at}});
    }
    // One variant serves every model of the endpoint, as a multi-model endpoint's does.
    out["ProductionVariants"] = Json::array({{{"VariantName", variant.name},
                                              {"DeployedImages", std::move(images)},
                                              {"CurrentWeight", variant.weight},
                                              {"DesiredWeight", variant.weight},
                                              {"CurrentInstanceCount", variant.instances},
                                              {"DesiredInstanceCount", variant.instances}}});
  } else {
    // Each variant of Grove's (registry/traffic.h) is one of SageMaker's.
    for (const serving::VariantState& v : state.variants) {
      const size_t slash = v.model.rfind('/');
      Json summary = {{"VariantName", v.name},
                      {"DeployedImages", Json::array({{{"SpecifiedImage", "grove/" + v.model.substr(0, slash) + ":" +
                                                                              v.model.substr(slash + 1)},
                                                       {"ResolutionTime", resolved_at}}})},
                      {"CurrentInstanceCount", 1},
                      {"DesiredInstanceCount", 1}};
      if (!v.shadow) summary["CurrentWeight"] = summary["DesiredWeight"] = v.weight;
      out[v.shadow ? "ShadowProductionVariants" : "ProductionVariants"].push_back(std::move(summary));
    }
  }
  if (state.capture_percent > 0) {
    out["DataCaptureConfig"] = {{"EnableCapture", true},
                                {"CaptureStatus", "Started"},
                                {"CurrentSamplingPercentage", static_cast<int>(state.capture_percent)}};
  }
  for (const serving::ServedModelState& m : state.models) {
    if (!m.error.empty()) out["FailureReason"] = store::VersionRef(m.group, m.version) + ": " + m.error;
  }
  return out;
}

Result<Json> ListEndpoints(const OperationContext& ctx, const Json& request) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string contains, m.Optional("NameContains"));
  ASSIGN_OR_RETURN(std::string status,
                   m.OneOf("StatusEquals",
                           {"OutOfService", "Creating", "Updating", "SystemUpdating", "RollingBack", "InService",
                            "Deleting", "Failed", "UpdateRollbackFailed"},
                           ""));
  ASSIGN_OR_RETURN(std::string sort_by, m.OneOf("SortBy", {"Name", "CreationTime", "Status"}, "CreationTime"));
  ASSIGN_OR_RETURN(std::string order, m.OneOf("SortOrder", {"Ascending", "Descending"}, "Descending"));
  ASSIGN_OR_RETURN(std::vector<store::EndpointRecord> records, ctx.home->metadata()->ListEndpoints());
  std::map<std::string, store::EndpointRecord> by_name;
  for (auto& r : records) by_name[r.name] = std::move(r);
  std::vector<Json> endpoints;
  for (const serving::EndpointState& state : ctx.endpoints->Describe()) {
    auto it = by_name.find(state.name);
    if (it == by_name.end() || state.name.find(contains) == std::string::npos) continue;
    if (!status.empty() && EndpointStatus(state) != status) continue;
    endpoints.push_back(SummaryJson(ctx, state, it->second));
  }
  const char* key = sort_by == "Name" ? "EndpointName" : sort_by == "Status" ? "EndpointStatus" : "CreationTime";
  std::stable_sort(endpoints.begin(), endpoints.end(), [&](const Json& a, const Json& b) {
    return order == "Ascending" ? a[key] < b[key] : b[key] < a[key];
  });
  return PagedList(request, endpoints, 10, "Endpoints", [](const Json& e) { return e; });
}

// The variants of `config_name`, each an Approved version (FailedPrecondition otherwise, before anything changes).
Result<std::vector<registry::VariantSpec>> ApprovedVariants(const OperationContext& ctx,
                                                            const std::string& config_name) {
  ASSIGN_OR_RETURN(store::ResourceRecord config, FindEndpointConfig(ctx, config_name));
  ASSIGN_OR_RETURN(std::vector<registry::VariantSpec> variants, ConfigVariants(ctx, config));
  for (const registry::VariantSpec& v : variants) {
    ASSIGN_OR_RETURN(store::ModelVersionRecord version, ctx.home->registry()->Get(v.group, v.version));
    if (version.approval_status != store::kApproved) {
      return Status::FailedPrecondition("variant " + v.name + ": " + store::VersionRef(v.group, v.version) + " is " +
                                        version.approval_status + "; only Approved versions can be deployed");
    }
  }
  return variants;
}

// An endpoint made from a config pins its first production variant's version;
// with more variants than that one, they split the traffic (and shadows get a copy).
Status ApplyVariants(const OperationContext& ctx, const std::string& endpoint,
                     const std::vector<registry::VariantSpec>& variants, const Caller& caller) {
  app::Endpoints endpoints(*ctx.home, *ctx.endpoints);
  std::vector<registry::VariantSpec> split;
  if (variants.size() > 1) split = variants;
  return endpoints.SetVariants(endpoint, split, caller.identity).status();
}

Result<Json> CreateEndpoint(const OperationContext& ctx, const Json& request, const Caller& caller) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string name, m.Required("EndpointName"));
  ASSIGN_OR_RETURN(std::string config, m.Required("EndpointConfigName"));
  ASSIGN_OR_RETURN(std::vector<registry::VariantSpec> variants, ApprovedVariants(ctx, config));
  ResourceDocuments documents(ctx.home->metadata(), ctx.home->clock());
  app::EndpointSpec spec;
  spec.name = name;
  spec.deploy = {store::VersionRef(variants[0].group, variants[0].version)};
  spec.by = caller.identity;
  spec.comment = "CreateEndpoint from endpoint configuration " + config;
  Result<app::EndpointDescription> created = app::Endpoints(*ctx.home, *ctx.endpoints).Create(spec);
  if (created.status().code() == StatusCode::kAlreadyExists) {
    return Status::InvalidArgument("Cannot create already existing endpoint \"" +
                                   ctx.arns.Resource("endpoint", name) + "\".");
  }
  RETURN_IF_ERROR(created.status());
  RETURN_IF_ERROR(ApplyVariants(ctx, name, variants, caller));
  RETURN_IF_ERROR(documents.Put(kEndpointSourceKind, name, {{"EndpointConfigName", config}}));
  RETURN_IF_ERROR(AddTagsTo(ctx, ctx.arns.Resource("endpoint", name), request.value("Tags", Json::array())));
  return Json{{"EndpointArn", ctx.arns.Resource("endpoint", name)}};
}

Result<Json> UpdateEndpoint(const OperationContext& ctx, const Json& request, const Caller& caller) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string name, m.Required("EndpointName"));
  ASSIGN_OR_RETURN(std::string config, m.Required("EndpointConfigName"));
  ASSIGN_OR_RETURN(auto found, FindEndpoint(ctx, name));
  ASSIGN_OR_RETURN(std::vector<registry::VariantSpec> variants, ApprovedVariants(ctx, config));
  app::Endpoints endpoints(*ctx.home, *ctx.endpoints);
  const std::string comment = "UpdateEndpoint to endpoint configuration " + config;
  const std::string& group = variants[0].group;
  RETURN_IF_ERROR(
      endpoints.Deploy(name, store::VersionRef(group, variants[0].version), caller.identity, comment).status());
  // The new config's model replaces what the old one pinned.
  for (const store::EndpointDeployment& d : found.second.deployments) {
    if (d.group != group) RETURN_IF_ERROR(endpoints.Undeploy(name, d.group, caller.identity).status());
  }
  RETURN_IF_ERROR(ApplyVariants(ctx, name, variants, caller));
  RETURN_IF_ERROR(ResourceDocuments(ctx.home->metadata(), ctx.home->clock())
                      .Put(kEndpointSourceKind, name, {{"EndpointConfigName", config}}));
  return Json{{"EndpointArn", ctx.arns.Resource("endpoint", name)}};
}

// An endpoint with variants (a config of several, or `grove endpoint
// variants`) changes their weights at once, as `grove endpoint weights` does.
// An endpoint of one variant records its weight and instance count and
// reports them (all traffic still goes to it). Another variant name is
// refused as SageMaker refuses names its endpoint configuration does not have.
// Instance counts are recorded, not acted on: one process serves every variant.
Result<Json> UpdateEndpointWeightsAndCapacities(const OperationContext& ctx, const Json& request,
                                                const Caller& caller) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("EndpointName"));
  const Json wanted = request.value("DesiredWeightsAndCapacities", Json());
  if (!wanted.is_array() || wanted.empty() || wanted.size() > 10) {
    return ValidationError("desiredWeightsAndCapacities", wanted, "Member must be a list of 1 to 10 variants");
  }
  ASSIGN_OR_RETURN(auto found, FindEndpoint(ctx, name));
  ASSIGN_OR_RETURN(Variant variant, VariantOf(ctx, name));
  std::vector<std::string> live;  // The endpoint's variant names that take traffic.
  for (const serving::VariantState& v : found.first.variants) {
    if (!v.shadow) live.push_back(v.name);
  }
  if (live.empty()) live.push_back(variant.name);
  std::vector<std::pair<std::string, double>> weights;
  std::vector<std::string> seen;
  for (const Json& w : wanted) {
    Members m(w);
    if (!w.is_object()) return ValidationError("desiredWeightsAndCapacities", w, "Member must be a structure");
    ASSIGN_OR_RETURN(std::string variant_name, m.Required("VariantName"));
    if (std::find(seen.begin(), seen.end(), variant_name) != seen.end()) {
      return Status::InvalidArgument("The variant name \"" + variant_name + "\" was non-unique within the request.");
    }
    seen.push_back(variant_name);
    if (std::find(live.begin(), live.end(), variant_name) == live.end()) {
      return Status::InvalidArgument("The variant name(s) \"" + variant_name +
                                     "\" is/are not present within endpoint configuration \"" + variant.config + "\".");
    }
    if (m.Has("DesiredWeight")) {
      const Json& weight = w["DesiredWeight"];
      if (!weight.is_number() || weight.get<double>() < 0) {
        return ValidationError("desiredWeightsAndCapacities.1.member.desiredWeight", weight,
                               "Member must have value greater than or equal to 0");
      }
      weights.emplace_back(variant_name, weight.get<double>());
      if (found.first.variants.empty()) variant.source["DesiredWeight"] = weight.get<double>();
    }
    if (m.Has("DesiredInstanceCount")) {
      const Json& count = w["DesiredInstanceCount"];
      if (!count.is_number_integer() || count.get<int64_t>() < 0) {
        return ValidationError("desiredWeightsAndCapacities.1.member.desiredInstanceCount", count,
                               "Member must have value greater than or equal to 0");
      }
      variant.source["DesiredInstanceCount"] = count.get<int64_t>();
    }
  }
  if (!found.first.variants.empty() && !weights.empty()) {
    RETURN_IF_ERROR(app::Endpoints(*ctx.home, *ctx.endpoints).SetWeights(name, weights, caller.identity).status());
  }
  RETURN_IF_ERROR(
      ResourceDocuments(ctx.home->metadata(), ctx.home->clock()).Put(kEndpointSourceKind, name, variant.source));
  return Json{{"EndpointArn", ctx.arns.Resource("endpoint", name)}};
}

Result<Json> DeleteEndpoint(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("EndpointName"));
  RETURN_IF_ERROR(FindEndpoint(ctx, name).status());
  RETURN_IF_ERROR(app::Endpoints(*ctx.home, *ctx.endpoints).Delete(name));
  RETURN_IF_ERROR(ResourceDocuments(ctx.home->metadata(), ctx.home->clock()).Delete(kEndpointSourceKind, name).status());
  return Json::object();
}

}  // namespace

void AddEndpointOperations(const OperationContext& ctx, OperationTable& table) {
  AddOperation(table, ctx, "DescribeEndpoint", DescribeEndpoint);
  AddOperation(table, ctx, "ListEndpoints", ListEndpoints);
  AddOperation(table, ctx, "DeleteEndpoint", DeleteEndpoint);
  AddOperation(table, ctx, "CreateEndpoint", CreateEndpoint);
  AddOperation(table, ctx, "UpdateEndpoint", UpdateEndpoint);
  AddOperation(table, ctx, "UpdateEndpointWeightsAndCapacities", UpdateEndpointWeightsAndCapacities);
}

}  // namespace grove::api::sagemaker
