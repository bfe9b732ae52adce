#pragma once

#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::registry {

// The rules of endpoints on top of the metadata store's rows: valid names
// (resource_name.h), follow patterns and capture percentages; only Approved
// versions are deployed or promoted; a promotion replaces the target's pins
// with the source's models (creating the target) and is recorded. Every change
// appends its event (endpoint.created, .deleted, .deployed, .undeployed,
// .promoted, .updated; payloads in store/records.h) in the same transaction, and nothing
// changes on error. Reads are MetadataStore's (GetEndpoint, ListEndpoints,
// ListPromotions).
//
// Each change has two forms: one that runs its own transaction, and one that
// runs inside the caller's (a Deploy step recorded with its step run).
// Thread-safe.
class Endpoints {
 public:
  Endpoints(store::MetadataStore* metadata, const Clock* clock) : metadata_(metadata), clock_(clock) {}

  // Stores a new endpoint with its deployments (each checked as Deploy checks
  // it). InvalidArgument for a bad name, an empty follow pattern or a capture
  // percentage outside 0-100; AlreadyExists when the name is taken.
  Result<store::EndpointRecord> Create(const store::EndpointRecord& endpoint);
  Result<store::EndpointRecord> Create(store::StoreTransaction& txn, const store::EndpointRecord& endpoint);
  // Changes an existing endpoint's multi_model, follow and capture_percent
  // (its pins stay: Deploy and Undeploy change those) and appends
  // endpoint.updated. Checked as Create checks; NotFound naming the endpoints.
  Result<store::EndpointRecord> Update(store::StoreTransaction& txn, const store::EndpointRecord& endpoint);
  // NotFound naming the endpoints that exist.
  Status Delete(const std::string& name);
  Status Delete(store::StoreTransaction& txn, const std::string& name);

  // Pins `deployment.group` on the endpoint to `deployment.version`, replacing
  // an earlier pin of the group (deployed_at 0 means now). NotFound for an
  // unknown endpoint, group or version; FailedPrecondition unless the version
  // is Approved. Returns the endpoint as it now is.
  Result<store::EndpointRecord> Deploy(const std::string& endpoint, const store::EndpointDeployment& deployment);
  Result<store::EndpointRecord> Deploy(store::StoreTransaction& txn, const std::string& endpoint,
                                       const store::EndpointDeployment& deployment);
  // Removes the pin of `group`; NotFound when the endpoint pins no such group.
  Result<store::EndpointRecord> Undeploy(const std::string& endpoint, const std::string& group,
                                         const std::string& by);
  Result<store::EndpointRecord> Undeploy(store::StoreTransaction& txn, const std::string& endpoint,
                                         const std::string& group, const std::string& by);

  // Records `promotion` and replaces the target's pins with its models, each
  // pinned by `promoted_by` with the comment "promoted from <source>[: comment]".
  // Creates the target when it does not exist, single- or multi-model and with
  // the capture percentage of `new_target` (its other fields are not used).
  // InvalidArgument when source and target are the same or the target's name is
  // bad; NotFound for an unknown source; FailedPrecondition with no models or a
  // model that is not an Approved version. Returns the promotion with its id.
  Result<store::PromotionRecord> Promote(const store::PromotionRecord& promotion,
                                         const store::EndpointRecord& new_target);
  Result<store::PromotionRecord> Promote(store::StoreTransaction& txn, const store::PromotionRecord& promotion,
                                         const store::EndpointRecord& new_target);

 private:
  store::MetadataStore* metadata_;
  const Clock* clock_;
};

}  // namespace grove::registry
