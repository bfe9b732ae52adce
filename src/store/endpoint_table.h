#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `endpoints`, `endpoint_deployments` and `endpoint_promotions` tables:
// rows only (the rules of endpoints are registry::Endpoints').
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class EndpointTable {
 public:
  explicit EndpointTable(SqlConnection* db) : db_(db) {}

  // The endpoint with its deployments.
  Result<std::optional<EndpointRecord>> Find(const std::string& name);
  // By name, each with its deployments.
  Result<std::vector<EndpointRecord>> List();
  // Inserts or replaces the endpoint's own row (not its deployments).
  Status Put(const EndpointRecord& endpoint);
  // Deletes the endpoint and its deployments.
  Status Delete(const std::string& name);

  // Inserts or replaces the pin of `deployment.group` on `endpoint`.
  Status PutDeployment(const std::string& endpoint, const EndpointDeployment& deployment);
  // False when the endpoint pins no such group.
  Result<bool> DeleteDeployment(const std::string& endpoint, const std::string& group);

  // Returns the new promotion's id.
  Result<int64_t> InsertPromotion(const PromotionRecord& promotion);
  // Promotions from or to `endpoint`, newest first.
  Result<std::vector<PromotionRecord>> ListPromotions(const std::string& endpoint);

 private:
  // The endpoint `name`, or every endpoint by name when null.
  Result<std::vector<EndpointRecord>> Select(const std::string* name);
  Result<std::vector<EndpointDeployment>> Deployments(const std::string& endpoint);

  SqlConnection* db_;
};

}  // namespace grove::store
