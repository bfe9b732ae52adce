#include "store/endpoint_table.h"

#include <cctype>

#include "store/messages.h"

namespace grove::store {

namespace {

Json DeploymentsJson(const std::vector<EndpointDeployment>& deployments) {
  Json list = Json::array();
  for (const EndpointDeployment& d : deployments) list.push_back({{"group", d.group}, {"version", d.version}});
  return list;
}

std::vector<EndpointDeployment> DeploymentsFromJson(const Json& list) {
  std::vector<EndpointDeployment> deployments;
  if (!list.is_array()) return deployments;
  for (const Json& item : list) {
    EndpointDeployment d;
    d.group = item.value("group", "");
    d.version = item.value("version", 0);
    deployments.push_back(std::move(d));
  }
  return deployments;
}

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

}  // namespace

Status ValidateEndpointName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 63 && name.front() != '-' && name.back() != '-';
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
  if (ok) return Status::OK();
  return Status::InvalidArgument("endpoint name '" + name +
                                 "' is not valid: use 1-63 letters, digits and '-', not starting or ending with '-'");
}

Result<EndpointRecord> EndpointTable::Create(const EndpointRecord& endpoint, TimeMs now) {
  RETURN_IF_ERROR(ValidateEndpoint(endpoint));
  ASSIGN_OR_RETURN(bool exists, Exists(endpoint.name));
  if (exists) return Status::AlreadyExists("endpoint '" + endpoint.name + "' already exists");
  EndpointRecord e = endpoint;
  e.created_at = e.updated_at = now;
  RETURN_IF_ERROR(InsertEndpoint(e));
  for (EndpointDeployment& d : e.deployments) {
    if (d.deployed_at == 0) d.deployed_at = now;
    RETURN_IF_ERROR(CheckDeployable(d));
    RETURN_IF_ERROR(PutDeployment(e.name, d));
  }
  Json payload = {{"endpoint", e.name}, {"multi_model", e.multi_model}, {"follow", e.follow}};
  RETURN_IF_ERROR(events_->Append(now, kEventEndpointCreated, e.name, payload));
  return Get(e.name);
}

Status EndpointTable::InsertEndpoint(const EndpointRecord& e) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_->Prepare("INSERT INTO endpoints (name, multi_model, follow, capture_percent, created_at, "
                                "updated_at) VALUES (?, ?, ?, ?, ?, ?)"));
  return insert.BindAll(e.name, e.multi_model, Json(e.follow), e.capture_percent, e.created_at, e.updated_at).Run();
}

Status EndpointTable::Delete(const std::string& name, TimeMs now) {
  RETURN_IF_ERROR(CheckExists(name));
  ASSIGN_OR_RETURN(Statement del, db_->Prepare("DELETE FROM endpoints WHERE name = ?"));
  RETURN_IF_ERROR(del.BindAll(name).Run());
  return events_->Append(now, kEventEndpointDeleted, name, {{"endpoint", name}});
}

Result<std::vector<EndpointRecord>> EndpointTable::Select(const std::string* name) {
  const char* sql = name != nullptr ? "SELECT name, multi_model, follow, capture_percent, created_at, updated_at "
                                      "FROM endpoints WHERE name = ?"
                                    : "SELECT name, multi_model, follow, capture_percent, created_at, updated_at "
                                      "FROM endpoints ORDER BY name";
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(sql));
  if (name != nullptr) select.BindAll(*name);
  std::vector<EndpointRecord> endpoints;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    EndpointRecord e;
    e.name = select.Text(0);
    e.multi_model = select.Bool(1);
    Json follow = select.JsonValue(2);
    if (follow.is_array()) {
      for (const Json& pattern : follow) e.follow.push_back(pattern.get<std::string>());
    }
    e.capture_percent = select.Double(3);
    e.created_at = select.Int64(4);
    e.updated_at = select.Int64(5);
    endpoints.push_back(std::move(e));
  }
  for (EndpointRecord& e : endpoints) {
    ASSIGN_OR_RETURN(e.deployments, Deployments(e.name));
  }
  return endpoints;
}

Result<EndpointRecord> EndpointTable::Get(const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<EndpointRecord> found, Select(&name));
  if (found.empty()) return NotFound(name);
  return std::move(found.front());
}

Result<std::vector<EndpointRecord>> EndpointTable::List() { return Select(nullptr); }

Result<bool> EndpointTable::Exists(const std::string& name) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT 1 FROM endpoints WHERE name = ?"));
  return select.BindAll(name).Step();
}

Status EndpointTable::NotFound(const std::string& name) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT name FROM endpoints ORDER BY name"));
  std::vector<std::string> names;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    names.push_back(select.Text(0));
  }
  return Status::NotFound("no endpoint '" + name + "' (endpoints: " + NameList(names) + ")");
}

Status EndpointTable::CheckExists(const std::string& name) {
  ASSIGN_OR_RETURN(bool exists, Exists(name));
  return exists ? Status::OK() : NotFound(name);
}

Status EndpointTable::CheckDeployable(const EndpointDeployment& d) {
  ASSIGN_OR_RETURN(ModelVersionRecord version, models_->Get(d.group, d.version));
  if (version.approval_status != kApproved) {
    return Status::FailedPrecondition(VersionRef(d.group, d.version) + " is " + version.approval_status +
                                      "; only Approved versions can be deployed");
  }
  return Status::OK();
}

Status EndpointTable::PutDeployment(const std::string& endpoint, const EndpointDeployment& d) {
  ASSIGN_OR_RETURN(Statement upsert,
                   db_->Prepare("INSERT INTO endpoint_deployments (endpoint, group_name, version, deployed_by, "
                                "comment, deployed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (endpoint, group_name) "
                                "DO UPDATE SET version = excluded.version, deployed_by = excluded.deployed_by, "
                                "comment = excluded.comment, deployed_at = excluded.deployed_at"));
  return upsert.BindAll(endpoint, d.group, d.version, d.deployed_by, d.comment, d.deployed_at).Run();
}

Result<std::vector<EndpointDeployment>> EndpointTable::Deployments(const std::string& endpoint) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT group_name, version, deployed_by, comment, deployed_at "
                                                  "FROM endpoint_deployments WHERE endpoint = ? ORDER BY group_name"));
  select.BindAll(endpoint);
  std::vector<EndpointDeployment> deployments;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return deployments;
    deployments.push_back({select.Text(0), select.Int(1), select.Text(2), select.Text(3), select.Int64(4)});
  }
}

Status EndpointTable::Touch(const std::string& endpoint, TimeMs now) {
  ASSIGN_OR_RETURN(Statement update, db_->Prepare("UPDATE endpoints SET updated_at = ? WHERE name = ?"));
  return update.BindAll(now, endpoint).Run();
}

Result<EndpointRecord> EndpointTable::Deploy(const std::string& endpoint, const EndpointDeployment& deployment,
                                             TimeMs now) {
  RETURN_IF_ERROR(CheckExists(endpoint));
  RETURN_IF_ERROR(CheckDeployable(deployment));
  EndpointDeployment d = deployment;
  if (d.deployed_at == 0) d.deployed_at = now;
  RETURN_IF_ERROR(PutDeployment(endpoint, d));
  RETURN_IF_ERROR(Touch(endpoint, now));
  Json payload = {{"endpoint", endpoint}, {"group", d.group},     {"version", d.version},
                  {"by", d.deployed_by},  {"comment", d.comment}};
  RETURN_IF_ERROR(events_->Append(now, kEventEndpointDeployed, endpoint, payload));
  return Get(endpoint);
}

Result<EndpointRecord> EndpointTable::Undeploy(const std::string& endpoint, const std::string& group,
                                               const std::string& by, TimeMs now) {
  RETURN_IF_ERROR(CheckExists(endpoint));
  ASSIGN_OR_RETURN(Statement del, db_->Prepare("DELETE FROM endpoint_deployments WHERE endpoint = ? AND group_name = ?"));
  RETURN_IF_ERROR(del.BindAll(endpoint, group).Run());
  if (del.Changes() == 0) {
    return Status::NotFound("endpoint '" + endpoint + "' has no deployment of model group '" + group + "'");
  }
  RETURN_IF_ERROR(Touch(endpoint, now));
  RETURN_IF_ERROR(events_->Append(now, kEventEndpointUndeployed, endpoint,
                                  {{"endpoint", endpoint}, {"group", group}, {"by", by}}));
  return Get(endpoint);
}

Result<PromotionRecord> EndpointTable::Promote(const PromotionRecord& promotion, const EndpointRecord& new_target,
                                               TimeMs now) {
  if (promotion.source == promotion.target) {
    return Status::InvalidArgument("cannot promote endpoint '" + promotion.source + "' to itself");
  }
  RETURN_IF_ERROR(CheckExists(promotion.source));
  RETURN_IF_ERROR(ValidateEndpointName(promotion.target));
  if (promotion.models.empty()) return Status::FailedPrecondition("nothing to promote: no models");
  PromotionRecord p = promotion;
  p.promoted_at = p.promoted_at != 0 ? p.promoted_at : now;
  ASSIGN_OR_RETURN(bool target_exists, Exists(p.target));
  if (!target_exists) {
    EndpointRecord target;
    target.name = p.target;
    target.multi_model = new_target.multi_model;
    target.capture_percent = new_target.capture_percent;
    target.created_at = target.updated_at = now;
    RETURN_IF_ERROR(ValidateEndpoint(target));
    RETURN_IF_ERROR(InsertEndpoint(target));
    RETURN_IF_ERROR(events_->Append(now, kEventEndpointCreated, p.target,
                                    {{"endpoint", p.target}, {"multi_model", target.multi_model},
                                     {"follow", Json::array()}}));
  }
  ASSIGN_OR_RETURN(Statement clear, db_->Prepare("DELETE FROM endpoint_deployments WHERE endpoint = ?"));
  RETURN_IF_ERROR(clear.BindAll(p.target).Run());
  for (EndpointDeployment& d : p.models) {
    d.deployed_by = p.promoted_by;
    d.comment = "promoted from " + p.source + (p.comment.empty() ? "" : ": " + p.comment);
    d.deployed_at = p.promoted_at;
    RETURN_IF_ERROR(CheckDeployable(d));
    RETURN_IF_ERROR(PutDeployment(p.target, d));
  }
  RETURN_IF_ERROR(Touch(p.target, now));
  ASSIGN_OR_RETURN(Statement insert,
                   db_->Prepare("INSERT INTO endpoint_promotions (source, target, models, promoted_by, comment, test, "
                                "promoted_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  ASSIGN_OR_RETURN(bool row, insert.BindAll(p.source, p.target, DeploymentsJson(p.models), p.promoted_by, p.comment,
                                            p.test, p.promoted_at)
                                 .Step());
  if (!row) return Status::Internal("no id for the promotion of '" + p.source + "'");
  p.id = insert.Int64(0);
  Json payload = {{"id", p.id},
                  {"source", p.source},
                  {"target", p.target},
                  {"models", DeploymentsJson(p.models)},
                  {"by", p.promoted_by},
                  {"comment", p.comment}};
  RETURN_IF_ERROR(events_->Append(now, kEventEndpointPromoted, p.target, payload));
  return p;
}

Result<std::vector<PromotionRecord>> EndpointTable::ListPromotions(const std::string& endpoint) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare("SELECT id, source, target, models, promoted_by, comment, test, promoted_at FROM "
                                "endpoint_promotions WHERE target = ? OR source = ? ORDER BY id DESC"));
  select.BindAll(endpoint, endpoint);
  std::vector<PromotionRecord> promotions;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return promotions;
    PromotionRecord p;
    p.id = select.Int64(0);
    p.source = select.Text(1);
    p.target = select.Text(2);
    p.models = DeploymentsFromJson(select.JsonValue(3));
    p.promoted_by = select.Text(4);
    p.comment = select.Text(5);
    p.test = select.JsonValue(6);
    p.promoted_at = select.Int64(7);
    promotions.push_back(std::move(p));
  }
}

}  // namespace grove::store
