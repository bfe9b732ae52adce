#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/event_table.h"
#include "store/model_table.h"
#include "store/records.h"
#include "store/sqlite_db.h"

namespace grove::store {

// The `endpoints`, `endpoint_deployments` and `endpoint_promotions` tables.
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class EndpointTable {
 public:
  EndpointTable(SqliteDb* db, EventTable* events, ModelTable* models) : db_(db), events_(events), models_(models) {}

  // Stores a new endpoint with its deployments and appends endpoint.created.
  // InvalidArgument for a bad name (letters, digits and '-', at most 63, as
  // SageMaker allows), pattern or capture percentage; AlreadyExists when the
  // name is taken; deployments are checked as Deploy checks them.
  Result<EndpointRecord> Create(const EndpointRecord& endpoint, TimeMs now);
  // NotFound naming the endpoints that exist. Appends endpoint.deleted.
  Status Delete(const std::string& name, TimeMs now);
  Result<EndpointRecord> Get(const std::string& name);
  // By name.
  Result<std::vector<EndpointRecord>> List();

  // Pins `deployment.group` on the endpoint to `deployment.version`, replacing
  // an earlier pin of the group, and appends endpoint.deployed. NotFound for an
  // unknown endpoint, group or version; FailedPrecondition unless the version
  // is Approved.
  Result<EndpointRecord> Deploy(const std::string& endpoint, const EndpointDeployment& deployment, TimeMs now);
  // Removes the pin of `group`; NotFound when the endpoint pins no such group.
  Result<EndpointRecord> Undeploy(const std::string& endpoint, const std::string& group, const std::string& by,
                                  TimeMs now);

  // Records `promotion` and replaces the target's pins with its models,
  // creating the target endpoint when it does not exist, single- or
  // multi-model and with the capture percentage of `new_target` (its name,
  // follow patterns and deployments are not used). Every model must be an
  // Approved version; source and target must differ. Appends endpoint.promoted.
  Result<PromotionRecord> Promote(const PromotionRecord& promotion, const EndpointRecord& new_target, TimeMs now);
  // Promotions from or to `endpoint`, newest first.
  Result<std::vector<PromotionRecord>> ListPromotions(const std::string& endpoint);

 private:
  Status CheckDeployable(const EndpointDeployment& deployment);
  Status InsertEndpoint(const EndpointRecord& endpoint);
  Status PutDeployment(const std::string& endpoint, const EndpointDeployment& deployment);
  Result<std::vector<EndpointDeployment>> Deployments(const std::string& endpoint);
  Status Touch(const std::string& endpoint, TimeMs now);
  // The endpoint `name`, or every endpoint by name when null.
  Result<std::vector<EndpointRecord>> Select(const std::string* name);
  Result<bool> Exists(const std::string& name);
  // NotFound for `name`, naming the endpoints that exist.
  Status NotFound(const std::string& name);
  // OK, or NotFound.
  Status CheckExists(const std::string& name);

  SqliteDb* db_;
  EventTable* events_;
  ModelTable* models_;
};

// OK when `name` is a valid endpoint name, else InvalidArgument saying why.
Status ValidateEndpointName(const std::string& name);

}  // namespace grove::store
