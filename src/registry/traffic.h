#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::registry {

// An endpoint's production variants (SageMaker's ProductionVariants and
// ShadowProductionVariants): how a group's requests are split between versions.
//
// Without variants, each group an endpoint serves sends all its requests to its
// live version (endpoint_resolution.h). With variants, the requests for a group
// (by its bare name, or to a one-model endpoint) go to one of the group's live
// variants, chosen at random in proportion to the weights; a request naming
// "G/N" still gets exactly that version. A shadow variant receives a copy of
// its group's requests: its answers are recorded and compared, never returned.
//
// Kept as one document per endpoint in the resource table (kind
// "endpoint-traffic", name = the endpoint); every change appends
// endpoint.traffic in the same transaction, which makes servers refresh.
inline constexpr const char* kTrafficKind = "endpoint-traffic";
// As SageMaker: at most 10 production variants and 10 shadows per endpoint.
inline constexpr int64_t kMaxVariants = 10;
inline constexpr double kMaxWeight = 1e9;

struct VariantSpec {
  std::string name;  // SageMaker's VariantName rule (resource_name.h); unique on the endpoint.
  std::string group;
  int version = 0;
  double weight = 1;  // Relative share of the group's requests; not used by shadows.
  bool shadow = false;
};

struct TrafficSpec {
  std::vector<VariantSpec> variants;
  std::string updated_by;
  TimeMs updated_at = 0;

  // The variant named `name`, or null.
  const VariantSpec* Find(const std::string& name) const;
};

Json ToJson(const VariantSpec& variant);
Json ToJson(const TrafficSpec& traffic);
// InvalidArgument naming the member that is wrong.
Result<TrafficSpec> TrafficFromJson(const Json& json);

// The rules of variants above the resource table. Each change checks that the
// endpoint exists, that names are valid and unique, that every variant's
// version exists and is Approved (only Approved versions take traffic), that
// weights are from 0 to kMaxWeight, that there are at most kMaxVariants of
// each kind, and that each group with variants has a live
// (non-shadow) variant of weight > 0; InvalidArgument, NotFound or
// FailedPrecondition say which. Nothing changes on error.
class Traffic {
 public:
  Traffic(store::MetadataStore* metadata, const Clock* clock) : metadata_(metadata), clock_(clock) {}

  // The endpoint's variants; empty when it has none (or does not exist).
  static Result<TrafficSpec> Get(store::StoreReader& rows, const std::string& endpoint);
  Result<TrafficSpec> Get(const std::string& endpoint);

  // Replaces the endpoint's variants (an empty list removes them).
  Status Set(const std::string& endpoint, std::vector<VariantSpec> variants, const std::string& by);
  Status Set(store::StoreTransaction& txn, const std::string& endpoint, std::vector<VariantSpec> variants,
             const std::string& by);
  // Changes the weights of the named variants, all at once (SageMaker's
  // UpdateEndpointWeightsAndCapacities); NotFound naming the variants there are.
  Result<TrafficSpec> SetWeights(const std::string& endpoint,
                                 const std::vector<std::pair<std::string, double>>& weights, const std::string& by);

 private:
  store::MetadataStore* metadata_;
  const Clock* clock_;
};

}  // namespace grove::registry
