#pragma once

#include <string>
#include <vector>

#include "app/home.h"
#include "common/status.h"
#include "registry/traffic.h"
#include "serving/endpoint_service.h"
#include "serving/payload.h"
#include "store/records.h"

namespace grove::app {

// What `endpoint create` asks for.
struct EndpointSpec {
  std::string name;
  bool multi_model = false;
  std::vector<std::string> follow;  // Globs of group names.
  std::vector<std::string> deploy;  // Pins, as "G/N" of Approved versions.
  double capture_percent = 0;
  std::string by;
  std::string comment;
};

// An endpoint as it is served, with its recorded promotions (oldest first).
struct EndpointDescription {
  serving::EndpointState state;
  std::vector<store::PromotionRecord> promotions;
};

// A promotion of `source`'s live versions to `target` behind the gate.
struct PromotionRequest {
  std::string source;
  std::string target;
  serving::PredictRequest sample;  // The gate's test invocation.
  std::string sample_name;         // Where the sample came from, recorded with the promotion.
  bool require_capture = false;
  double capture_percent = 0;      // Of the target when this promotion creates it.
  std::string by;
  std::string comment;
};

// Use cases of endpoints: create, list, describe, deploy, undeploy, delete,
// promote. `service` serves the data folder's endpoints: the server's own, or
// a one-shot one (Home::Endpoints) for the CLI; it is refreshed after every
// change made here, so descriptions show the change. Errors are the store's
// (NotFound naming the endpoints, InvalidArgument for a bad name,
// FailedPrecondition for a version that is not Approved).
class Endpoints {
 public:
  Endpoints(Home& home, serving::EndpointService& service) : home_(home), service_(service) {}

  Result<EndpointDescription> Create(const EndpointSpec& spec);
  // Every endpoint as `service` serves it now (nothing is loaded for a listing).
  std::vector<serving::EndpointState> List();
  // One endpoint. With `load`, a single-model endpoint's models are loaded
  // first, so "InService" also means they load (a failure shows as the
  // model's Failed state, not as an error).
  Result<EndpointDescription> Describe(const std::string& name, bool load = true);
  Result<EndpointDescription> Deploy(const std::string& name, const std::string& ref, const std::string& by,
                                     const std::string& comment);
  Result<EndpointDescription> Undeploy(const std::string& name, const std::string& group, const std::string& by);
  Status Delete(const std::string& name);
  // Replaces the endpoint's variants (registry/traffic.h: weighted versions
  // and shadows); an empty list removes them.
  Result<EndpointDescription> SetVariants(const std::string& name, const std::vector<registry::VariantSpec>& variants,
                                          const std::string& by);
  // Changes the weights of the named variants at once.
  Result<EndpointDescription> SetWeights(const std::string& name,
                                         const std::vector<std::pair<std::string, double>>& weights,
                                         const std::string& by);
  // Runs the promotion gate (serving/promotion_gate.h) and, when it passes,
  // records the promotion and switches the target in one transaction.
  // FailedPrecondition when the gate refuses; nothing is recorded then.
  Result<store::PromotionRecord> Promote(const PromotionRequest& request);
  // Predicts `request` with the model it names (`model`, else the request's
  // own, else the endpoint's only one). See EndpointService::Invoke for the
  // errors; a model that does not load is IOError (a model error).
  Result<serving::Invocation> Invoke(const std::string& endpoint, const std::string& model,
                                     const serving::PredictRequest& request);

 private:
  Result<store::EndpointDeployment> Pin(const std::string& ref, const std::string& by, const std::string& comment);
  Result<EndpointDescription> Changed(const std::string& name);

  Home& home_;
  serving::EndpointService& service_;
};

}  // namespace grove::app
