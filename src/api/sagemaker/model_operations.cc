// CreateModel, DescribeModel, ListModels, DeleteModel and the endpoint-config
// operations. A model names what it serves with its container's
// ModelPackageName (a registered Grove version); endpoint configs list
// production variants of such models. Both are kept as sent.
#include <algorithm>

#include "api/sagemaker/operations.h"
#include "api/sagemaker/resource_documents.h"
#include "api/sagemaker/wire.h"

namespace grove::api::sagemaker {

namespace {

ResourceDocuments Documents(const OperationContext& ctx) {
  return ResourceDocuments(ctx.home->metadata(), ctx.home->clock());
}

// A model's container: PrimaryContainer, or the first of Containers.
Json ContainerOf(const Json& model) {
  if (model.contains("PrimaryContainer")) return model["PrimaryContainer"];
  const Json containers = model.value("Containers", Json::array());
  return containers.is_array() && !containers.empty() ? containers[0] : Json();
}

// The request without the members that are not part of the resource.
Json Kept(const Json& request) {
  Json body = request;
  body.erase("ClientToken");
  body.erase("Tags");
  return body;
}

// Name-ordered list operations share their filters: NameContains,
// CreationTimeAfter/Before, SortBy Name|CreationTime, SortOrder.
Result<std::vector<store::ResourceRecord>> Filtered(const OperationContext& ctx, const char* kind,
                                                    const Json& request) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string contains, m.Optional("NameContains"));
  ASSIGN_OR_RETURN(auto range, TimeRangeOf(request, "CreationTimeAfter", "CreationTimeBefore"));
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all, Documents(ctx).List(kind));
  std::vector<store::ResourceRecord> kept;
  for (auto& r : all) {
    if (r.name.find(contains) != std::string::npos && r.created_at > range.first && r.created_at < range.second) {
      kept.push_back(std::move(r));
    }
  }
  RETURN_IF_ERROR(SortAsRequested(
      request, kept, [](const store::ResourceRecord& r) { return r.name; },
      [](const store::ResourceRecord& r) { return r.created_at; }, "Descending"));
  return kept;
}

Result<Json> CreateModel(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("ModelName"));
  const std::string arn = ctx.arns.Resource("model", name);
  const Json container = ContainerOf(request);
  if (!container.is_object() || !container.contains("ModelPackageName")) {
    return Status::InvalidArgument(
        "Grove serves registered model versions: give the model's PrimaryContainer a ModelPackageName (a model "
        "package ARN), not only a ModelDataUrl");
  }
  ASSIGN_OR_RETURN(std::string package, Members(container).Required("ModelPackageName"));
  RETURN_IF_ERROR(FindModelPackage(ctx, package).status());
  Status created = Documents(ctx).Create(kModelKind, name, Kept(request));
  if (created.code() == StatusCode::kAlreadyExists) {
    return Status::InvalidArgument("Cannot create already existing model \"" + arn + "\".");
  }
  RETURN_IF_ERROR(created);
  RETURN_IF_ERROR(AddTagsTo(ctx, arn, request.value("Tags", Json::array())));
  return Json{{"ModelArn", arn}};
}

Result<store::ResourceRecord> FindModel(const OperationContext& ctx, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> model, Documents(ctx).Find(kModelKind, name));
  if (!model) return Status::InvalidArgument("Could not find model \"" + ctx.arns.Resource("model", name) + "\".");
  return *model;
}

Result<Json> DescribeModel(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("ModelName"));
  ASSIGN_OR_RETURN(store::ResourceRecord model, FindModel(ctx, name));
  Json out = model.body;
  out["ModelArn"] = ctx.arns.Resource("model", name);
  out["CreationTime"] = Timestamp(model.created_at);
  return out;
}

Result<Json> ListModels(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> models, Filtered(ctx, kModelKind, request));
  return PagedList(request, models, 10, "Models", [&](const store::ResourceRecord& r) {
    return Json{{"ModelName", r.name}, {"ModelArn", ctx.arns.Resource("model", r.name)},
                {"CreationTime", Timestamp(r.created_at)}};
  });
}

Result<Json> DeleteModel(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("ModelName"));
  ASSIGN_OR_RETURN(bool deleted, Documents(ctx).Delete(kModelKind, name));
  if (!deleted) return Status::InvalidArgument("Could not find model \"" + ctx.arns.Resource("model", name) + "\".");
  return Json::object();
}

Result<Json> CreateEndpointConfig(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("EndpointConfigName"));
  const Json variants = request.value("ProductionVariants", Json::array());
  if (!variants.is_array() || variants.empty()) {
    return ValidationError("productionVariants", variants, "Member must have length greater than or equal to 1");
  }
  const Json shadows = request.value("ShadowProductionVariants", Json::array());
  for (const Json& list : {variants, shadows}) {
    for (const Json& variant : list.is_array() ? list : Json::array()) {
      ASSIGN_OR_RETURN(std::string model, Members(variant).Required("ModelName"));
      RETURN_IF_ERROR(FindModel(ctx, model).status());
    }
  }
  const std::string arn = ctx.arns.Resource("endpoint-config", name);
  Status created = Documents(ctx).Create(kEndpointConfigKind, name, Kept(request));
  if (created.code() == StatusCode::kAlreadyExists) {
    return Status::InvalidArgument("Cannot create already existing endpoint configuration \"" + arn + "\".");
  }
  RETURN_IF_ERROR(created);
  RETURN_IF_ERROR(AddTagsTo(ctx, arn, request.value("Tags", Json::array())));
  return Json{{"EndpointConfigArn", arn}};
}

Result<Json> DescribeEndpointConfig(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("EndpointConfigName"));
  ASSIGN_OR_RETURN(store::ResourceRecord config, FindEndpointConfig(ctx, name));
  Json out = config.body;
  out["EndpointConfigArn"] = ctx.arns.Resource("endpoint-config", name);
  out["CreationTime"] = Timestamp(config.created_at);
  return out;
}

Result<Json> ListEndpointConfigs(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> configs, Filtered(ctx, kEndpointConfigKind, request));
  return PagedList(request, configs, 10, "EndpointConfigs", [&](const store::ResourceRecord& r) {
    return Json{{"EndpointConfigName", r.name}, {"EndpointConfigArn", ctx.arns.Resource("endpoint-config", r.name)},
                {"CreationTime", Timestamp(r.created_at)}};
  });
}

Result<Json> DeleteEndpointConfig(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("EndpointConfigName"));
  ASSIGN_OR_RETURN(bool deleted, Documents(ctx).Delete(kEndpointConfigKind, name));
  if (!deleted) RETURN_IF_ERROR(FindEndpointConfig(ctx, name).status());
  return Json::object();
}

}  // namespace

Result<store::ResourceRecord> FindEndpointConfig(const OperationContext& ctx, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> config, Documents(ctx).Find(kEndpointConfigKind, name));
  if (!config) {
    return Status::InvalidArgument("Could not find endpoint configuration \"" +
                                   ctx.arns.Resource("endpoint-config", name) + "\".");
  }
  return *config;
}

Result<std::vector<registry::VariantSpec>> ConfigVariants(const OperationContext& ctx,
                                                          const store::ResourceRecord& config) {
  std::vector<registry::VariantSpec> out;
  for (const char* member : {"ProductionVariants", "ShadowProductionVariants"}) {
    const Json variants = config.body.value(member, Json::array());
    for (const Json& variant : variants.is_array() ? variants : Json::array()) {
      Members m(variant);
      registry::VariantSpec v;
      ASSIGN_OR_RETURN(v.name, m.Required("VariantName"));
      ASSIGN_OR_RETURN(std::string model_name, m.Required("ModelName"));
      ASSIGN_OR_RETURN(store::ResourceRecord model, FindModel(ctx, model_name));
      ASSIGN_OR_RETURN(store::ModelVersionRecord version,
                       FindModelPackage(ctx, ContainerOf(model.body).value("ModelPackageName", std::string())));
      v.group = version.group;
      v.version = version.version;
      if (variant.contains("InitialVariantWeight") && variant["InitialVariantWeight"].is_number()) {
        v.weight = variant["InitialVariantWeight"].get<double>();
      }
      v.shadow = std::string(member) == "ShadowProductionVariants";
      out.push_back(std::move(v));
    }
  }
  if (out.empty() || out.front().shadow) {
    return Status::InvalidArgument("endpoint configuration " + config.name + " has no production variant");
  }
  return out;
}

void AddModelOperations(const OperationContext& ctx, OperationTable& table) {
  AddOperation(table, ctx, "CreateModel", CreateModel);
  AddOperation(table, ctx, "DescribeModel", DescribeModel);
  AddOperation(table, ctx, "ListModels", ListModels);
  AddOperation(table, ctx, "DeleteModel", DeleteModel);
  AddOperation(table, ctx, "CreateEndpointConfig", CreateEndpointConfig);
  AddOperation(table, ctx, "DescribeEndpointConfig", DescribeEndpointConfig);
  AddOperation(table, ctx, "ListEndpointConfigs", ListEndpointConfigs);
  AddOperation(table, ctx, "DeleteEndpointConfig", DeleteEndpointConfig);
}

}  // namespace grove::api::sagemaker
