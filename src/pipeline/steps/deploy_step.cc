#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "registry/endpoints.h"
#include "registry/registry.h"
#include "registry/resource_name.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

namespace {

constexpr const char* kNewestApproved = "newest-approved";

// Deploys a registered version to an endpoint (seed 001's deploy job): pins
// `version` of `group` on `endpoint`, creating the endpoint (single- or
// multi-model, with data capture) when it does not exist. `version` is a
// number or "newest-approved" (the default): the group's highest Approved
// version number. Only Approved versions deploy; anything else fails the step
// and leaves the endpoint as it was. With `approve: true` the step approves the
// version first (without `version`, the group's newest, e.g. the one this
// execution just registered), as seed 004's deploy does; approval and
// deployment commit together. Servers following the data folder switch
// within a second. Never cached: deploying is a side effect.
class DeployStep : public StepType {
 public:
  std::string_view Name() const override { return "Deploy"; }
  int Version() const override { return 1; }
  bool Cacheable(const StepDef&) const override { return false; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }

  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"endpoint", ArgType::kString},
            {"group", ArgType::kString},
            {"version", ArgType::kInteger, {"newest-approved"}},
            {"multi_model", ArgType::kBoolean},
            {"approve", ArgType::kBoolean},
            {"capture_percent", ArgType::kNumber}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    RETURN_IF_ERROR(
        CheckArgumentKeys(step, def, {"endpoint", "group"}, {"version", "multi_model", "approve", "capture_percent"}));
    const Json& endpoint = step.arguments.value("endpoint", Json());
    if (endpoint.is_string()) {  // Expressions are checked when resolved, by the store.
      Status name = registry::ValidateEndpointName(endpoint.get<std::string>());
      if (!name.ok()) return def.ErrorAt(ArgumentField(step, "endpoint"), name.message());
    }
    const Json version = LiteralView(step.arguments.value("version", Json()));
    if (!version.is_null() && !(version.is_number_integer() && version.get<int>() > 0) && version != kNewestApproved &&
        version != "<expression>") {
      return def.ErrorAt(ArgumentField(step, "version"),
                         "expected a version number or \"newest-approved\", got " + version.dump());
    }
    const Json capture = LiteralView(step.arguments.value("capture_percent", Json()));
    if (!capture.is_null() && capture != "<expression>" &&
        !(capture.is_number() && capture.get<double>() >= 0 && capture.get<double>() <= 100)) {
      return def.ErrorAt(ArgumentField(step, "capture_percent"), "expected a number from 0 to 100, got " +
                                                                     capture.dump());
    }
    const Json multi_model = LiteralView(step.arguments.value("multi_model", Json()));
    if (!multi_model.is_null() && !multi_model.is_boolean() && multi_model != "<expression>") {
      return def.ErrorAt(ArgumentField(step, "multi_model"), "expected true or false, got " + multi_model.dump());
    }
    return Status::OK();
  }

  // Checks the resolved version (a Float parameter of 1.5 is not version 1);
  // the owner's Commit does the deploying.
  Status Run(StepContext& ctx) const override {
    ASSIGN_OR_RETURN(std::optional<int> version, RequestedVersion(ctx.arguments));
    ctx.effects = {{"deploy", version ? Json(*version) : Json(kNewestApproved)}};
    return Status::OK();
  }

  Status Commit(CommitContext& ctx) const override {
    if (ctx.txn == nullptr || ctx.store == nullptr) return Status::Internal("no metadata store available");
    std::string endpoint = ArgumentText(ctx.arguments, "endpoint");
    store::EndpointDeployment pin;
    pin.group = ArgumentText(ctx.arguments, "group");
    pin.deployed_by = "pipeline " + ctx.pipeline + " (execution " + ctx.execution_id + ")";
    pin.comment = "step " + ctx.step->name;
    const Json& requested = ctx.effects.at("deploy");
    const bool approve = ArgumentText(ctx.arguments, "approve", "false") == "true";
    if (requested.is_number_integer()) {
      pin.version = requested.get<int>();
    } else {
      ASSIGN_OR_RETURN(pin.version, Newest(*ctx.txn, pin.group, approve));
    }
    if (approve) {
      if (ctx.registry == nullptr) return Status::Internal("no registry available to approve with");
      ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> versions, ctx.txn->ListModelVersions(pin.group));
      auto version = std::find_if(versions.begin(), versions.end(),
                                  [&](const store::ModelVersionRecord& v) { return v.version == pin.version; });
      if (version != versions.end() && version->approval_status != store::kApproved) {
        RETURN_IF_ERROR(ctx.registry->Approve(*ctx.txn, pin.group, pin.version, pin.comment, pin.deployed_by).status());
        ctx.log("approved " + store::VersionRef(pin.group, pin.version));
      }
    }

    registry::Endpoints endpoints(ctx.store, ctx.store->clock());
    ASSIGN_OR_RETURN(std::optional<store::EndpointRecord> existing, ctx.txn->FindEndpoint(endpoint));
    if (existing) {
      RETURN_IF_ERROR(endpoints.Deploy(*ctx.txn, endpoint, pin).status());
    } else {
      store::EndpointRecord created;
      created.name = endpoint;
      created.multi_model = ArgumentText(ctx.arguments, "multi_model", "false") == "true";
      created.capture_percent = std::strtod(ArgumentText(ctx.arguments, "capture_percent", "0").c_str(), nullptr);
      created.deployments = {pin};
      RETURN_IF_ERROR(endpoints.Create(*ctx.txn, created).status());
      ctx.log("created endpoint " + endpoint);
    }
    std::string ref = store::VersionRef(pin.group, pin.version);
    ctx.metadata = {{"deployment", {{"endpoint", endpoint}, {"group", pin.group}, {"version", pin.version}}}};
    ctx.log("deployed " + ref + " to endpoint " + endpoint);
    return Status::OK();
  }

 private:
  // The version asked for: a positive whole number (a number, or text that is
  // one), or none for "newest-approved".
  static Result<std::optional<int>> RequestedVersion(const Json& arguments) {
    const Json& version = arguments.value("version", Json(kNewestApproved));
    if (version == kNewestApproved) return std::optional<int>();
    std::string text = version.is_string() ? version.get<std::string>() : version.dump();
    double number = 0;
    if (version.is_number()) {
      number = version.get<double>();
    } else {
      char* end = nullptr;
      number = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) number = 0;
    }
    if (!(number >= 1 && number <= 1e9 && number == std::floor(number))) {
      return Status::InvalidArgument("version: expected a whole version number (1, 2, ...) or \"newest-approved\", got " +
                                     text);
    }
    return std::optional<int>(static_cast<int>(number));
  }

  // The group's newest version: the newest Approved one unless `any_status`.
  static Result<int> Newest(store::StoreReader& rows, const std::string& group, bool any_status) {
    ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> versions, rows.ListModelVersions(group));
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
      if (any_status || it->approval_status == store::kApproved) return it->version;
    }
    return Status::FailedPrecondition("model group '" + group + "' has no " + (any_status ? "" : "Approved ") +
                                      "version to deploy");
  }
};

}  // namespace

std::unique_ptr<StepType> MakeDeployStep() { return std::make_unique<DeployStep>(); }

}  // namespace grove::pipeline
