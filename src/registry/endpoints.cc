#include "registry/endpoints.h"

#include "registry/resource_name.h"
#include "registry/traffic.h"
#include "store/lookups.h"

namespace grove::registry {

namespace {

using store::EndpointDeployment;
using store::EndpointRecord;
using store::PromotionRecord;
using store::StoreTransaction;

Status ValidateEndpoint(const EndpointRecord& endpoint) {
  RETURN_IF_ERROR(ValidateEndpointName(endpoint.name));
  for (const std::string& pattern : endpoint.follow) {
    if (pattern.empty()) return Status::InvalidArgument("endpoint '" + endpoint.name + "': empty follow pattern");
  }
  if (!(endpoint.capture_percent >= 0 && endpoint.capture_percent <= 100)) {
    return Status::InvalidArgument("endpoint '" + endpoint.name + "': capture percentage " +
                                   std::to_string(endpoint.capture_percent) + " is not between 0 and 100");
  }
  return Status::OK();
}

// Only Approved versions are served.
Status CheckDeployable(StoreTransaction& txn, const EndpointDeployment& d) {
  ASSIGN_OR_RETURN(store::ModelVersionRecord version, store::RequireModelVersion(txn, d.group, d.version));
  if (version.approval_status != store::kApproved) {
    return Status::FailedPrecondition(store::VersionRef(d.group, d.version) + " is " + version.approval_status +
                                      "; only Approved versions can be deployed");
  }
  return Status::OK();
}

Status PutDeployments(StoreTransaction& txn, const std::string& endpoint, std::vector<EndpointDeployment> pins,
                      TimeMs now) {
  for (EndpointDeployment& d : pins) {
    if (d.deployed_at == 0) d.deployed_at = now;
    RETURN_IF_ERROR(CheckDeployable(txn, d));
    RETURN_IF_ERROR(txn.PutDeployment(endpoint, d));
  }
  return Status::OK();
}

// Stores the endpoint's own row as created now, with its endpoint.created event.
Status InsertEndpoint(StoreTransaction& txn, EndpointRecord e, TimeMs now) {
  RETURN_IF_ERROR(ValidateEndpoint(e));
  e.created_at = e.updated_at = now;
  RETURN_IF_ERROR(txn.PutEndpoint(e));
  Json payload = {{"endpoint", e.name}, {"multi_model", e.multi_model}, {"follow", e.follow}};
  return txn.AppendEvent(now, store::kEventEndpointCreated, e.name, payload).status();
}

Status Touch(StoreTransaction& txn, EndpointRecord e, TimeMs now) {
  e.updated_at = now;
  return txn.PutEndpoint(e);
}

Json ModelsJson(const std::vector<EndpointDeployment>& models) {
  Json list = Json::array();
  for (const EndpointDeployment& d : models) list.push_back({{"group", d.group}, {"version", d.version}});
  return list;
}

}  // namespace

Result<EndpointRecord> Endpoints::Create(const EndpointRecord& endpoint) {
  return store::TransactValue(*metadata_, [&](StoreTransaction& txn) { return Create(txn, endpoint); });
}

Result<EndpointRecord> Endpoints::Create(StoreTransaction& txn, const EndpointRecord& endpoint) {
  RETURN_IF_ERROR(ValidateEndpoint(endpoint));
  ASSIGN_OR_RETURN(std::optional<EndpointRecord> existing, txn.FindEndpoint(endpoint.name));
  if (existing) return Status::AlreadyExists("endpoint '" + endpoint.name + "' already exists");
  TimeMs now = clock_->Now();
  RETURN_IF_ERROR(InsertEndpoint(txn, endpoint, now));
  RETURN_IF_ERROR(PutDeployments(txn, endpoint.name, endpoint.deployments, now));
  return store::RequireEndpoint(txn, endpoint.name);
}

Result<EndpointRecord> Endpoints::Update(StoreTransaction& txn, const EndpointRecord& endpoint) {
  RETURN_IF_ERROR(ValidateEndpoint(endpoint));
  ASSIGN_OR_RETURN(EndpointRecord e, store::RequireEndpoint(txn, endpoint.name));
  e.multi_model = endpoint.multi_model;
  e.follow = endpoint.follow;
  e.capture_percent = endpoint.capture_percent;
  TimeMs now = clock_->Now();
  RETURN_IF_ERROR(Touch(txn, e, now));
  Json payload = {{"endpoint", e.name}, {"multi_model", e.multi_model}, {"follow", e.follow},
                  {"capture_percent", e.capture_percent}};
  RETURN_IF_ERROR(txn.AppendEvent(now, store::kEventEndpointUpdated, e.name, payload).status());
  return store::RequireEndpoint(txn, e.name);
}

Status Endpoints::Delete(const std::string& name) {
  return metadata_->Transact([&](StoreTransaction& txn) { return Delete(txn, name); });
}

Status Endpoints::Delete(StoreTransaction& txn, const std::string& name) {
  RETURN_IF_ERROR(store::RequireEndpoint(txn, name).status());
  RETURN_IF_ERROR(txn.DeleteEndpoint(name));
  RETURN_IF_ERROR(txn.DeleteResource(kTrafficKind, name).status());  // Its variants go with it.
  return txn.AppendEvent(clock_->Now(), store::kEventEndpointDeleted, name, {{"endpoint", name}}).status();
}

Result<EndpointRecord> Endpoints::Deploy(const std::string& endpoint, const EndpointDeployment& deployment) {
  return store::TransactValue(*metadata_, [&](StoreTransaction& txn) { return Deploy(txn, endpoint, deployment); });
}

Result<EndpointRecord> Endpoints::Deploy(StoreTransaction& txn, const std::string& endpoint,
                                         const EndpointDeployment& deployment) {
  ASSIGN_OR_RETURN(EndpointRecord e, store::RequireEndpoint(txn, endpoint));
  TimeMs now = clock_->Now();
  RETURN_IF_ERROR(PutDeployments(txn, endpoint, {deployment}, now));
  RETURN_IF_ERROR(Touch(txn, e, now));
  Json payload = {{"endpoint", endpoint},         {"group", deployment.group},     {"version", deployment.version},
                  {"by", deployment.deployed_by}, {"comment", deployment.comment}};
  RETURN_IF_ERROR(txn.AppendEvent(now, store::kEventEndpointDeployed, endpoint, payload).status());
  return store::RequireEndpoint(txn, endpoint);
}

Result<EndpointRecord> Endpoints::Undeploy(const std::string& endpoint, const std::string& group,
                                           const std::string& by) {
  return store::TransactValue(*metadata_, [&](StoreTransaction& txn) { return Undeploy(txn, endpoint, group, by); });
}

Result<EndpointRecord> Endpoints::Undeploy(StoreTransaction& txn, const std::string& endpoint,
                                           const std::string& group, const std::string& by) {
  ASSIGN_OR_RETURN(EndpointRecord e, store::RequireEndpoint(txn, endpoint));
  ASSIGN_OR_RETURN(bool removed, txn.DeleteDeployment(endpoint, group));
  if (!removed) {
    return Status::NotFound("endpoint '" + endpoint + "' has no deployment of model group '" + group + "'");
  }
  TimeMs now = clock_->Now();
  RETURN_IF_ERROR(Touch(txn, e, now));
  Json payload = {{"endpoint", endpoint}, {"group", group}, {"by", by}};
  RETURN_IF_ERROR(txn.AppendEvent(now, store::kEventEndpointUndeployed, endpoint, payload).status());
  return store::RequireEndpoint(txn, endpoint);
}

Result<PromotionRecord> Endpoints::Promote(const PromotionRecord& promotion, const EndpointRecord& new_target) {
  return store::TransactValue(*metadata_,
                              [&](StoreTransaction& txn) { return Promote(txn, promotion, new_target); });
}

Result<PromotionRecord> Endpoints::Promote(StoreTransaction& txn, const PromotionRecord& promotion,
                                           const EndpointRecord& new_target) {
  if (promotion.source == promotion.target) {
    return Status::InvalidArgument("cannot promote endpoint '" + promotion.source + "' to itself");
  }
  RETURN_IF_ERROR(store::RequireEndpoint(txn, promotion.source).status());
  RETURN_IF_ERROR(ValidateEndpointName(promotion.target));
  if (promotion.models.empty()) return Status::FailedPrecondition("nothing to promote: no models");
  TimeMs now = clock_->Now();
  PromotionRecord p = promotion;
  if (p.promoted_at == 0) p.promoted_at = now;
  ASSIGN_OR_RETURN(std::optional<EndpointRecord> target, txn.FindEndpoint(p.target));
  if (!target) {
    EndpointRecord created;
    created.name = p.target;
    created.multi_model = new_target.multi_model;
    created.capture_percent = new_target.capture_percent;
    RETURN_IF_ERROR(InsertEndpoint(txn, created, now));
    ASSIGN_OR_RETURN(target, txn.FindEndpoint(p.target));
  }
  for (const EndpointDeployment& old : target->deployments) {
    RETURN_IF_ERROR(txn.DeleteDeployment(p.target, old.group).status());
  }
  for (EndpointDeployment& d : p.models) {
    d.deployed_by = p.promoted_by;
    d.comment = "promoted from " + p.source + (p.comment.empty() ? "" : ": " + p.comment);
    d.deployed_at = p.promoted_at;
  }
  RETURN_IF_ERROR(PutDeployments(txn, p.target, p.models, now));
  RETURN_IF_ERROR(Touch(txn, *target, now));
  ASSIGN_OR_RETURN(p.id, txn.InsertPromotion(p));
  Json payload = {{"id", p.id},
                  {"source", p.source},
                  {"target", p.target},
                  {"models", ModelsJson(p.models)},
                  {"by", p.promoted_by},
                  {"comment", p.comment}};
  RETURN_IF_ERROR(txn.AppendEvent(now, store::kEventEndpointPromoted, p.target, payload).status());
  return p;
}

}  // namespace grove::registry
