#include "store/endpoint_table.h"

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

EndpointRecord EndpointFromRow(const Statement& row) {
  EndpointRecord e;
  e.name = row.Text(0);
  e.multi_model = row.Bool(1);
  Json follow = row.JsonValue(2);
  if (follow.is_array()) {
    for (const Json& pattern : follow) e.follow.push_back(pattern.get<std::string>());
  }
  e.capture_percent = row.Double(3);
  e.created_at = row.Int64(4);
  e.updated_at = row.Int64(5);
  return e;
}

PromotionRecord PromotionFromRow(const Statement& row) {
  PromotionRecord p;
  p.id = row.Int64(0);
  p.source = row.Text(1);
  p.target = row.Text(2);
  p.models = DeploymentsFromJson(row.JsonValue(3));
  p.promoted_by = row.Text(4);
  p.comment = row.Text(5);
  p.test = row.JsonValue(6);
  p.promoted_at = row.Int64(7);
  return p;
}

}  // namespace

Result<std::vector<EndpointRecord>> EndpointTable::Select(const std::string* name) {
  const char* sql = name != nullptr ? "SELECT name, multi_model, follow, capture_percent, created_at, updated_at "
                                      "FROM endpoints WHERE name = ?"
                                    : "SELECT name, multi_model, follow, capture_percent, created_at, updated_at "
                                      "FROM endpoints ORDER BY name";
  std::vector<EndpointRecord> endpoints;
  {
    ASSIGN_OR_RETURN(Statement select, db_->Prepare(sql));
    if (name != nullptr) select.BindAll(*name);
    ASSIGN_OR_RETURN(endpoints, CollectRows(select, EndpointFromRow));
  }
  for (EndpointRecord& e : endpoints) {
    ASSIGN_OR_RETURN(e.deployments, Deployments(e.name));
  }
  return endpoints;
}

Result<std::optional<EndpointRecord>> EndpointTable::Find(const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<EndpointRecord> found, Select(&name));
  if (found.empty()) return std::optional<EndpointRecord>();
  return std::optional<EndpointRecord>(std::move(found.front()));
}

Result<std::vector<EndpointRecord>> EndpointTable::List() { return Select(nullptr); }

Status EndpointTable::Put(const EndpointRecord& e) {
  // ON CONFLICT DO UPDATE, not INSERT OR REPLACE: a replaced row would cascade
  // to the endpoint's deployments.
  ASSIGN_OR_RETURN(Statement upsert,
                   db_->Prepare("INSERT INTO endpoints (name, multi_model, follow, capture_percent, created_at, "
                                "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                                "multi_model = excluded.multi_model, follow = excluded.follow, "
                                "capture_percent = excluded.capture_percent, created_at = excluded.created_at, "
                                "updated_at = excluded.updated_at"));
  return upsert.BindAll(e.name, e.multi_model, Json(e.follow), e.capture_percent, e.created_at, e.updated_at).Run();
}

Status EndpointTable::Delete(const std::string& name) {
  {
    ASSIGN_OR_RETURN(Statement unpin, db_->Prepare("DELETE FROM endpoint_deployments WHERE endpoint = ?"));
    RETURN_IF_ERROR(unpin.BindAll(name).Run());
  }
  ASSIGN_OR_RETURN(Statement del, db_->Prepare("DELETE FROM endpoints WHERE name = ?"));
  return del.BindAll(name).Run();
}

Status EndpointTable::PutDeployment(const std::string& endpoint, const EndpointDeployment& d) {
  ASSIGN_OR_RETURN(Statement upsert,
                   db_->Prepare("INSERT INTO endpoint_deployments (endpoint, group_name, version, deployed_by, "
                                "comment, deployed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (endpoint, group_name) "
                                "DO UPDATE SET version = excluded.version, deployed_by = excluded.deployed_by, "
                                "comment = excluded.comment, deployed_at = excluded.deployed_at"));
  return upsert.BindAll(endpoint, d.group, d.version, d.deployed_by, d.comment, d.deployed_at).Run();
}

Result<bool> EndpointTable::DeleteDeployment(const std::string& endpoint, const std::string& group) {
  ASSIGN_OR_RETURN(Statement del, db_->Prepare("DELETE FROM endpoint_deployments WHERE endpoint = ? AND group_name = ?"));
  RETURN_IF_ERROR(del.BindAll(endpoint, group).Run());
  return del.Changes() > 0;
}

Result<std::vector<EndpointDeployment>> EndpointTable::Deployments(const std::string& endpoint) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT group_name, version, deployed_by, comment, deployed_at "
                                                  "FROM endpoint_deployments WHERE endpoint = ? ORDER BY group_name"));
  select.BindAll(endpoint);
  return CollectRows(select, [](const Statement& row) {
    return EndpointDeployment{row.Text(0), row.Int(1), row.Text(2), row.Text(3), row.Int64(4)};
  });
}

Result<int64_t> EndpointTable::InsertPromotion(const PromotionRecord& p) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_->Prepare("INSERT INTO endpoint_promotions (source, target, models, promoted_by, comment, test, "
                                "promoted_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  insert.BindAll(p.source, p.target, DeploymentsJson(p.models), p.promoted_by, p.comment, p.test, p.promoted_at);
  ASSIGN_OR_RETURN(std::optional<int64_t> id, FirstRow(insert, [](const Statement& row) { return row.Int64(0); }));
  if (!id) return Status::Internal("no id for the promotion of '" + p.source + "'");
  return *id;
}

Result<std::vector<PromotionRecord>> EndpointTable::ListPromotions(const std::string& endpoint) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare("SELECT id, source, target, models, promoted_by, comment, test, promoted_at FROM "
                                "endpoint_promotions WHERE target = ? OR source = ? ORDER BY id DESC"));
  select.BindAll(endpoint, endpoint);
  return CollectRows(select, PromotionFromRow);
}

}  // namespace grove::store
