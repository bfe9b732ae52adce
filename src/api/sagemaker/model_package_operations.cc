// Model package groups and versions over app::ModelRegistry. A Grove model
// group is a model package group; its version N is the versioned model
// package "<group>/N". Approving or rejecting through UpdateModelPackage is
// the registry's approval, so endpoints follow it exactly as after
// `grove registry approve`.
#include <algorithm>
#include <charconv>
#include <climits>

#include "app/model_registry.h"
#include "api/sagemaker/operations.h"
#include "api/sagemaker/resource_documents.h"
#include "api/sagemaker/wire.h"
#include "store/object_records.h"

namespace grove::api::sagemaker {

namespace {

// The stored group named by `text` (a name or an ARN), matched without regard
// to case as ARNs lowercase it; nullopt when there is none.
Result<std::optional<store::ModelGroupRecord>> FindGroup(const OperationContext& ctx, const std::string& text) {
  std::optional<std::string> name = NameOrArn(text, "model-package-group");
  if (!name) return ValidationError("modelPackageGroupName", text, "Member must be a model package group name or ARN");
  ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> exact,
                   store::ReadValue(*ctx.home->metadata(), [&](store::StoreReader& r) { return r.FindModelGroup(*name); }));
  if (exact) return exact;
  ASSIGN_OR_RETURN(std::vector<store::ModelGroupRecord> groups, app::ModelRegistry(*ctx.home).Groups());
  for (auto& g : groups) {
    if (g.name == *name) return std::optional<store::ModelGroupRecord>(std::move(g));
  }
  for (auto& g : groups) {
    if (AsciiLowercase(g.name) == AsciiLowercase(*name)) return std::optional<store::ModelGroupRecord>(std::move(g));
  }
  return std::optional<store::ModelGroupRecord>();
}

// Metadata keys of a version registered by CreateModelPackage, for what
// DescribeModelPackage shows as it was given.
constexpr const char* kCustomerMetadataKey = "customer_metadata";
constexpr const char* kModelMetricsKey = "model_metrics";

}  // namespace

Json ModelPackageGroupJson(const OperationContext& ctx, const store::ModelGroupRecord& g) {
  return {{"ModelPackageGroupName", g.name},
          {"ModelPackageGroupArn", ctx.arns.ModelPackageGroup(g.name)},
          {"ModelPackageGroupDescription", g.description},
          {"CreationTime", Timestamp(g.created_at)},
          {"ModelPackageGroupStatus", "Completed"}};
}

namespace {

TimeMs LastModified(const store::ModelVersionRecord& v) { return std::max(v.created_at, v.approval_changed_at); }

// A version as ListModelPackages shows it (as in SageMaker's own listing: no description).
Json SummaryJson(const OperationContext& ctx, const store::ModelVersionRecord& v) {
  return {{"ModelPackageGroupName", v.group},
          {"ModelPackageVersion", v.version},
          {"ModelPackageArn", ctx.arns.ModelPackage(v.group, v.version)},
          {"CreationTime", Timestamp(v.created_at)},
          {"ModelPackageStatus", "Completed"},
          {"ModelApprovalStatus", v.approval_status}};
}

// SummaryJson's JSON text, written directly (ListModelPackages' hot path:
// a page of 100 costs a fraction of building and serialising 100 Json
// objects). control_plane_test.cc holds the two to the same bytes. What the
// versions of one group share is written once per page.
class SummaryWriter {
 public:
  SummaryWriter(const OperationContext& ctx, const std::string& group) {
    head_ = "{\"ModelPackageGroupName\":";
    AppendJsonString(head_, group);
    head_ += ",\"ModelPackageVersion\":";
    arn_ = ",\"ModelPackageArn\":";
    AppendJsonString(arn_, ctx.arns.ModelPackage(group, 0));
    arn_.resize(arn_.size() - 2);  // Without the version "0" and the closing quote.
  }

  // REQUIRES: `v` is a version of the writer's group.
  void Append(std::string& out, const store::ModelVersionRecord& v) const {
    char buffer[16];
    const std::string_view version(buffer, static_cast<size_t>(std::to_chars(buffer, buffer + 16, v.version).ptr - buffer));
    out += head_;
    out += version;
    out += arn_;
    out += version;
    out += "\",\"CreationTime\":";
    AppendTimestamp(out, v.created_at);
    out += ",\"ModelPackageStatus\":\"Completed\",\"ModelApprovalStatus\":";
    AppendJsonString(out, v.approval_status);
    out += '}';
  }

 private:
  std::string head_;
  std::string arn_;
};

}  // namespace

Json ModelPackageJson(const OperationContext& ctx, const store::ModelVersionRecord& v) {
  Json out = SummaryJson(ctx, v);
  out["ModelPackageDescription"] = v.metadata.value("description", "");
  out["ModelPackageStatusDetails"] = {
      {"ValidationStatuses", Json::array()},
      {"ImageScanStatuses", Json::array()}};
  // CreateModelPackage keeps the container's image and model URL as given.
  Json container = {{"Image", v.metadata.value("image", "grove/" + v.metadata.value("family", std::string("xgboost")))},
                    {"ModelDataUrl", v.metadata.value("model_data_url", ArtifactS3Uri(v.model_digest))}};
  out["InferenceSpecification"] = {{"Containers", Json::array({container})},
                                   {"SupportedContentTypes", {"text/csv", "application/json"}},
                                   {"SupportedResponseMIMETypes", {"application/json", "text/csv"}}};
  if (v.metadata.contains(kModelMetricsKey)) {
    out["ModelMetrics"] = v.metadata[kModelMetricsKey];
  } else if (v.metrics.contains("model_quality") && v.metrics["model_quality"].is_string()) {
    out["ModelMetrics"] = {{"ModelQuality",
                            {{"Statistics",
                              {{"ContentType", "application/json"},
                               {"S3Uri", ArtifactS3Uri(v.metrics["model_quality"].get<std::string>())}}}}}};
  }
  if (!v.execution_id.empty()) {
    // The registering execution; the pipeline name is in the version's metadata.
    out["MetadataProperties"] = {
        {"GeneratedBy", ctx.arns.Execution(v.metadata.value("pipeline", std::string()), v.execution_id)}};
  }
  if (!v.approval_comment.empty()) out["ApprovalDescription"] = v.approval_comment;
  // A version registered by CreateModelPackage has the properties it was
  // given; one registered by a pipeline shows its metadata's strings.
  Json custom = v.metadata.value(kCustomerMetadataKey, Json::object());
  if (!v.metadata.contains(kCustomerMetadataKey)) {
    for (const auto& [key, value] : v.metadata.items()) {
      if (value.is_string()) custom[key] = value;
    }
  }
  out["CustomerMetadataProperties"] = std::move(custom);
  out["LastModifiedTime"] = Timestamp(LastModified(v));
  if (!v.approved_by.empty()) out["LastModifiedBy"] = {{"UserProfileName", v.approved_by}};
  out["CreatedBy"] = Json::object();
  return out;
}

namespace {

Result<Json> ListModelPackageGroups(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string contains, Members(request).Optional("NameContains"));
  ASSIGN_OR_RETURN(auto range, TimeRangeOf(request, "CreationTimeAfter", "CreationTimeBefore"));
  ASSIGN_OR_RETURN(std::vector<store::ModelGroupRecord> all, app::ModelRegistry(*ctx.home).Groups());
  std::vector<store::ModelGroupRecord> groups;
  for (auto& g : all) {
    if (g.name.find(contains) != std::string::npos && g.created_at > range.first && g.created_at < range.second) {
      groups.push_back(std::move(g));
    }
  }
  RETURN_IF_ERROR(SortAsRequested(
      request, groups, [](const store::ModelGroupRecord& g) { return g.name; },
      [](const store::ModelGroupRecord& g) { return g.created_at; }, "Ascending"));
  return PagedList(request, groups, 100, "ModelPackageGroupSummaryList",
                   [&](const store::ModelGroupRecord& g) { return ModelPackageGroupJson(ctx, g); });
}

Result<Json> CreateModelPackageGroup(const OperationContext& ctx, const Json& request) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string name, m.Required("ModelPackageGroupName"));
  ASSIGN_OR_RETURN(std::string description, m.Optional("ModelPackageGroupDescription"));
  Result<store::ModelGroupRecord> created = ctx.home->registry()->CreateGroup(name, description);
  if (created.status().code() == StatusCode::kAlreadyExists) {
    return Status::InvalidArgument("Model Package Group already exists: " + ctx.arns.ModelPackageGroup(name));
  }
  RETURN_IF_ERROR(created.status());
  RETURN_IF_ERROR(AddTagsTo(ctx, ctx.arns.ModelPackageGroup(name), request.value("Tags", Json::array())));
  return Json{{"ModelPackageGroupArn", ctx.arns.ModelPackageGroup(name)}};
}

Result<Json> DescribeModelPackageGroup(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string text, Members(request).Required("ModelPackageGroupName"));
  ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> group, FindGroup(ctx, text));
  if (!group) return Status::InvalidArgument("ModelPackageGroup " + text + " does not exist.");
  Json out = ModelPackageGroupJson(ctx, *group);
  out["CreatedBy"] = Json::object();
  return out;
}

// Deletes an empty group. A group with versions is a ConflictException, as
// SageMaker refuses it; Grove never deletes versions (DeleteModelPackage is
// not offered: their numbers, lineage and deployments stay meaningful).
Result<Json> DeleteModelPackageGroup(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string text, Members(request).Required("ModelPackageGroupName"));
  ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> group, FindGroup(ctx, text));
  if (!group) return Status::InvalidArgument("ModelPackageGroup " + text + " does not exist.");
  Status deleted = ctx.home->registry()->DeleteGroup(group->name);
  if (deleted.code() == StatusCode::kFailedPrecondition) {
    return Status::FailedPrecondition("Model Package Group " + ctx.arns.ModelPackageGroup(group->name) +
                                      " cannot be deleted: it contains " + std::to_string(group->version_count) +
                                      " model packages, and Grove keeps registered versions");
  }
  RETURN_IF_ERROR(deleted);
  RETURN_IF_ERROR(DeleteTagsOf(ctx, ctx.arns.ModelPackageGroup(group->name)));
  return Json::object();
}

// The versions of group `group` that pass `keep`, a page at a time from a
// version cursor (NextToken "grove-version-N"), so listing stays fast with any
// number of versions. Nullopt when the group has no version after the cursor
// at all, which is also what a name that is no group's gives: the caller
// then resolves the name (FindGroup) and asks again, so that the common case
// costs one read.
Result<std::optional<std::string>> ListGroupPackages(const OperationContext& ctx, const Json& request,
                                                     const std::string& group,
                                                     const std::function<bool(const store::ModelVersionRecord&)>& keep) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string order, m.OneOf("SortOrder", {"Ascending", "Descending"}, "Ascending"));
  RETURN_IF_ERROR(m.OneOf("SortBy", {"Name", "CreationTime"}, "CreationTime").status());  // Both are version order.
  ASSIGN_OR_RETURN(const int max_results, MaxResultsOf(request, 100));
  int cursor = 0;
  ASSIGN_OR_RETURN(const std::string token, m.Optional("NextToken"));
  constexpr std::string_view kPrefix = "grove-version-";
  if (!token.empty()) {
    if (token.rfind(kPrefix, 0) != 0) return Status::InvalidArgument("Invalid pagination token: " + token);
    try {
      size_t used = 0;
      cursor = std::stoi(token.substr(kPrefix.size()), &used);
      if (used + kPrefix.size() != token.size() || cursor < 1) throw std::invalid_argument(token);
    } catch (const std::exception&) {
      return Status::InvalidArgument("Invalid pagination token: " + token);
    }
  }
  const bool descending = order == "Descending";
  const SummaryWriter writer(ctx, group);
  std::string out = "{\"ModelPackageSummaryList\":[";
  out.reserve(static_cast<size_t>(max_results) * 300);
  int listed = 0;
  bool more = true;
  bool first_read = true;
  while (more && listed < max_results) {
    ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> rows,
                     store::ReadValue(*ctx.home->metadata(), [&](store::StoreReader& r) {
                       return r.ListModelVersionsAfter(group, cursor, max_results + 1, descending);
                     }));
    if (first_read && rows.empty()) return std::optional<std::string>();
    first_read = false;
    more = static_cast<int>(rows.size()) > max_results;
    for (const store::ModelVersionRecord& v : rows) {
      if (listed == max_results) {
        more = true;
        break;
      }
      cursor = v.version;
      if (!keep(v)) continue;
      if (listed++ > 0) out += ',';
      writer.Append(out, v);
    }
    if (rows.empty()) more = false;
  }
  out += ']';
  if (more) {
    out += ",\"NextToken\":";
    AppendJsonString(out, std::string(kPrefix) + std::to_string(cursor));
  }
  out += '}';
  return std::optional<std::string>(std::move(out));
}

Result<std::string> ListModelPackages(const OperationContext& ctx, const Json& request) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string group_text, m.Optional("ModelPackageGroupName"));
  ASSIGN_OR_RETURN(std::string status, m.OneOf("ModelApprovalStatus", {"Approved", "Rejected", "PendingManualApproval"}, ""));
  ASSIGN_OR_RETURN(std::string contains, m.Optional("NameContains"));
  ASSIGN_OR_RETURN(std::string type, m.OneOf("ModelPackageType", {"Versioned", "Unversioned", "Both"}, "Both"));
  ASSIGN_OR_RETURN(auto range, TimeRangeOf(request, "CreationTimeAfter", "CreationTimeBefore"));
  auto keep = [&](const store::ModelVersionRecord& v) {
    return (status.empty() || v.approval_status == status) && v.group.find(contains) != std::string::npos &&
           v.created_at > range.first && v.created_at < range.second;
  };
  if (type == "Unversioned") {  // Every Grove model version is a versioned package.
    return JsonText(Json{{"ModelPackageSummaryList", Json::array()}});
  }

  app::ModelRegistry registry(*ctx.home);
  std::vector<store::ModelGroupRecord> groups;
  const std::string no_packages = JsonText(Json{{"ModelPackageSummaryList", Json::array()}});
  const bool by_version = !m.Has("SortBy") || request["SortBy"] != "Name";
  if (!group_text.empty()) {
    if (by_version) {  // First as the exact name of a group, in one read.
      ASSIGN_OR_RETURN(std::optional<std::string> page, ListGroupPackages(ctx, request, group_text, keep));
      if (page) return std::move(*page);
    }
    ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> group, FindGroup(ctx, group_text));
    if (!group) return no_packages;
    if (by_version) {
      ASSIGN_OR_RETURN(std::optional<std::string> page, ListGroupPackages(ctx, request, group->name, keep));
      return page ? std::move(*page) : no_packages;
    }
    groups.push_back(std::move(*group));
  } else {
    ASSIGN_OR_RETURN(groups, registry.Groups());
  }
  std::vector<store::ModelVersionRecord> versions;
  for (const store::ModelGroupRecord& g : groups) {
    ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> vs, registry.Versions(g.name));
    for (auto& v : vs) {
      if (keep(v)) versions.push_back(std::move(v));
    }
  }
  RETURN_IF_ERROR(SortAsRequested(
      request, versions, [](const store::ModelVersionRecord& v) { return store::VersionRef(v.group, v.version); },
      [](const store::ModelVersionRecord& v) { return v.created_at; }, "Ascending"));
  ASSIGN_OR_RETURN(Json page, PagedList(request, versions, 100, "ModelPackageSummaryList",
                                        [&](const store::ModelVersionRecord& v) { return SummaryJson(ctx, v); }));
  return JsonText(page);
}

Result<Json> DescribeModelPackage(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string text, Members(request).Required("ModelPackageName"));
  ASSIGN_OR_RETURN(store::ModelVersionRecord v, FindModelPackage(ctx, text));
  return ModelPackageJson(ctx, v);
}

constexpr const char* kModelPackageTokenKind = "sagemaker-model-package-token";

// Whether a failure to resolve an S3 URI is the request's (a malformed URI, no
// such object, not a model Grove serves) rather than Grove's own.
bool IsBadReference(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound;
}

// CustomerMetadataProperties: a map of 1-128 character keys to 1-256 character values.
Result<Json> CustomerMetadataOf(const Json& request) {
  const Json properties = request.value("CustomerMetadataProperties", Json::object());
  if (!properties.is_object()) {
    return ValidationError("customerMetadataProperties", properties, "Member must be a map of strings to strings");
  }
  for (const auto& [key, value] : properties.items()) {
    if (key.empty() || key.size() > 128) {
      return ValidationError("customerMetadataProperties", key, "Map keys must have length between 1 and 128");
    }
    if (!value.is_string() || value.get<std::string>().empty() || value.get<std::string>().size() > 256) {
      return ValidationError("customerMetadataProperties." + key, value,
                             "Member must be a string of length between 1 and 256");
    }
  }
  return properties;
}

// The one container of InferenceSpecification: {Image, ModelDataUrl}.
Result<Json> PackageContainerOf(const Json& request) {
  constexpr const char* kMember = "InferenceSpecification.Containers[0].ModelDataUrl";
  if (!Members(request).Has("InferenceSpecification")) {
    return Status::InvalidArgument("InferenceSpecification is required: Grove registers the model that " +
                                   std::string(kMember) + " names (unversioned or container-less packages are not supported)");
  }
  const Json& spec = request["InferenceSpecification"];
  const Json containers = spec.is_object() ? spec.value("Containers", Json()) : Json();
  if (!containers.is_array() || containers.empty() || !containers[0].is_object()) {
    return ValidationError("inferenceSpecification.containers", containers,
                           "Member must be a list of 1 to 15 container definitions");
  }
  if (containers.size() > 1) {
    return ValidationError("inferenceSpecification.containers", containers,
                           "Grove serves one container per model package; give exactly one");
  }
  const Json& container = containers[0];
  const Json url = container.value("ModelDataUrl", Json());
  if (!url.is_string() || url.get<std::string>().empty()) {
    return ValidationError(kMember, url, "Member must be the S3 URI of the model (s3://bucket/key; ModelDataSource is not supported)");
  }
  const Json image = container.value("Image", Json(""));
  if (!image.is_string()) return ValidationError("InferenceSpecification.Containers[0].Image", image, "Member must be a string");
  return Json{{"Image", image}, {"ModelDataUrl", url}};
}

// ModelMetrics as given; ModelQuality.Statistics, Grove's evaluation report,
// must name an object, whose digest is returned ("" without one).
Result<std::string> ModelQualityOf(const OperationContext& ctx, const Json& request) {
  if (!Members(request).Has("ModelMetrics")) return std::string();
  const Json& metrics = request["ModelMetrics"];
  if (!metrics.is_object()) return ValidationError("modelMetrics", metrics, "Member must be a structure");
  const Json quality = metrics.value("ModelQuality", Json::object());
  const Json statistics = quality.is_object() ? quality.value("Statistics", Json()) : Json();
  if (statistics.is_null()) return std::string();
  const Json uri = statistics.is_object() ? statistics.value("S3Uri", Json()) : Json();
  if (!uri.is_string()) {
    return ValidationError("ModelMetrics.ModelQuality.Statistics.S3Uri", uri, "Member must be an S3 URI");
  }
  Result<std::string> digest = app::ModelRegistry(*ctx.home).ResolveObject(uri.get<std::string>());
  if (IsBadReference(digest.status())) {
    return Status::InvalidArgument("ModelMetrics.ModelQuality.Statistics.S3Uri: " + digest.status().message());
  }
  return digest;
}

// A versioned model package: the next version of an existing group, serving
// the model InferenceSpecification's container names (app::ModelRegistry::
// ResolveModel says which models load). Unversioned packages (ModelPackageName)
// are refused. A retried request (the same ClientToken) gets the first one's ARN.
Result<Json> CreateModelPackage(const OperationContext& ctx, const Json& request) {
  Members m(request);
  if (m.Has("ModelPackageName")) {
    return Status::InvalidArgument("ModelPackageName: Grove keeps versioned model packages only; give "
                                   "ModelPackageGroupName instead, and the group's next version is registered");
  }
  ASSIGN_OR_RETURN(std::string group_text, m.Required("ModelPackageGroupName"));
  ASSIGN_OR_RETURN(std::string status,
                   m.OneOf("ModelApprovalStatus", {"Approved", "Rejected", "PendingManualApproval"}, "PendingManualApproval"));
  ASSIGN_OR_RETURN(std::string description, m.Optional("ModelPackageDescription"));
  if (description.size() > 1024) {
    return ValidationError("modelPackageDescription", description, "Member must have length less than or equal to 1024");
  }
  ASSIGN_OR_RETURN(std::string token, m.Optional("ClientToken"));
  ASSIGN_OR_RETURN(Json properties, CustomerMetadataOf(request));
  ASSIGN_OR_RETURN(Json container, PackageContainerOf(request));
  ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> group, FindGroup(ctx, group_text));
  if (!group) return Status::InvalidArgument("ModelPackageGroup " + group_text + " does not exist.");
  ResourceDocuments documents(ctx.home->metadata(), ctx.home->clock());
  const std::string token_name = group->name + "/" + token;
  if (!token.empty()) {
    ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> seen, documents.Find(kModelPackageTokenKind, token_name));
    if (seen) return Json{{"ModelPackageArn", seen->body.value("ModelPackageArn", "")}};
  }
  app::ModelRegistry registry(*ctx.home);
  const std::string url = container["ModelDataUrl"].get<std::string>();
  Result<app::ModelFile> model = registry.ResolveModel(url);
  if (IsBadReference(model.status())) {
    return Status::InvalidArgument("InferenceSpecification.Containers[0].ModelDataUrl " + model.status().message());
  }
  RETURN_IF_ERROR(model.status());
  ASSIGN_OR_RETURN(std::string quality, ModelQualityOf(ctx, request));

  store::ModelVersionRecord version;
  version.group = group->name;
  version.approval_status = status;
  version.model_digest = model->digest;
  if (!quality.empty()) version.metrics["model_quality"] = quality;
  version.metadata = {{"description", description}, {"family", model->kind.family}, {"format", model->kind.format},
                      {"model_data_url", url}, {kCustomerMetadataKey, std::move(properties)}};
  if (!container["Image"].get<std::string>().empty()) version.metadata["image"] = container["Image"];
  if (!model->kind.task.empty()) version.metadata["task"] = model->kind.task;
  if (!model->archive_digest.empty()) version.metadata["model_archive"] = model->archive_digest;
  if (m.Has("ModelMetrics")) version.metadata[kModelMetricsKey] = request["ModelMetrics"];
  ASSIGN_OR_RETURN(store::ModelVersionRecord stored, registry.Register(version));
  const std::string arn = ctx.arns.ModelPackage(stored.group, stored.version);
  RETURN_IF_ERROR(AddTagsTo(ctx, arn, request.value("Tags", Json::array())));
  if (!token.empty()) RETURN_IF_ERROR(documents.Put(kModelPackageTokenKind, token_name, {{"ModelPackageArn", arn}}));
  return Json{{"ModelPackageArn", arn}};
}

Result<Json> UpdateModelPackage(const OperationContext& ctx, const Json& request, const Caller& caller) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string arn, m.Required("ModelPackageArn"));
  ASSIGN_OR_RETURN(std::string status, m.OneOf("ModelApprovalStatus", {"Approved", "Rejected", "PendingManualApproval"}, ""));
  ASSIGN_OR_RETURN(std::string comment, m.Optional("ApprovalDescription"));
  ASSIGN_OR_RETURN(store::ModelVersionRecord v, FindModelPackage(ctx, arn));
  app::ModelRegistry registry(*ctx.home);
  const std::string ref = store::VersionRef(v.group, v.version);
  if (status == "Approved" && v.approval_status != status) {
    RETURN_IF_ERROR(registry.Approve(ref, comment, caller.identity).status());
  } else if (status == "Rejected" && v.approval_status != status) {
    RETURN_IF_ERROR(registry.Reject(ref, comment, caller.identity).status());
  } else if (status == "PendingManualApproval" && v.approval_status != status) {
    return Status::InvalidArgument("ModelApprovalStatus: a version that was " + v.approval_status +
                                   " cannot go back to PendingManualApproval; approve or reject it");
  }
  // Setting the status a version already has changes nothing, as in SageMaker.
  return Json{{"ModelPackageArn", ctx.arns.ModelPackage(v.group, v.version)}};
}

}  // namespace

// The version named by a model package ARN or "group/N". ValidationException
// "ModelPackage <arn> does not exist." when there is none, as SageMaker says it.
Result<store::ModelVersionRecord> FindModelPackage(const OperationContext& ctx, const std::string& text) {
  std::optional<std::pair<std::string, int>> ref = ModelPackageOf(text);
  if (!ref) return ValidationError("modelPackageName", text, "Member must be a versioned model package ARN");
  const std::string arn = ctx.arns.ModelPackage(ref->first, ref->second);
  const Status missing = Status::InvalidArgument("ModelPackage " + arn + " does not exist.");
  ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> group, FindGroup(ctx, ref->first));
  if (!group) return missing;
  Result<store::ModelVersionRecord> version =
      app::ModelRegistry(*ctx.home).Get(store::VersionRef(group->name, ref->second));
  if (version.status().code() == StatusCode::kNotFound) return missing;
  return version;
}

std::string ArtifactS3Uri(const std::string& digest) {
  return "s3://" + std::string(store::kArtifactBucket) + "/" + store::ArtifactKey(digest);
}

void AddModelPackageOperations(const OperationContext& ctx, OperationTable& table) {
  AddOperation(table, ctx, "ListModelPackageGroups", ListModelPackageGroups);
  AddOperation(table, ctx, "DescribeModelPackageGroup", DescribeModelPackageGroup);
  AddOperation(table, ctx, "CreateModelPackageGroup", CreateModelPackageGroup);
  AddOperation(table, ctx, "DeleteModelPackageGroup", DeleteModelPackageGroup);
  AddOperation(table, ctx, "ListModelPackages", ListModelPackages);
  AddOperation(table, ctx, "DescribeModelPackage", DescribeModelPackage);
  AddOperation(table, ctx, "UpdateModelPackage", UpdateModelPackage);
  AddOperation(table, ctx, "CreateModelPackage", CreateModelPackage);
}

}  // namespace grove::api::sagemaker
