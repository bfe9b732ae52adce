#include "app/endpoints.h"

#include "registry/endpoints.h"
#include "registry/registry.h"
#include "serving/promotion_gate.h"

namespace grove::app {

namespace {

// The endpoint rules (create, deploy only Approved, promote) over the data folder.
registry::Endpoints Rules(Home& home) { return registry::Endpoints(home.metadata(), home.clock()); }

}  // namespace

Result<store::EndpointDeployment> Endpoints::Pin(const std::string& ref, const std::string& by,
                                                 const std::string& comment) {
  ASSIGN_OR_RETURN(auto parsed, registry::Registry::ParseVersionRef(ref));
  return store::EndpointDeployment{parsed.first, parsed.second, by, comment, 0};
}

Result<EndpointDescription> Endpoints::Changed(const std::string& name) {
  RETURN_IF_ERROR(service_.Refresh());
  return Describe(name);
}

Result<EndpointDescription> Endpoints::Create(const EndpointSpec& spec) {
  store::EndpointRecord e;
  e.name = spec.name;
  e.multi_model = spec.multi_model;
  e.follow = spec.follow;
  e.capture_percent = spec.capture_percent;
  for (const std::string& ref : spec.deploy) {
    ASSIGN_OR_RETURN(store::EndpointDeployment pin, Pin(ref, spec.by, spec.comment));
    e.deployments.push_back(std::move(pin));
  }
  RETURN_IF_ERROR(Rules(home_).Create(e).status());
  return Changed(spec.name);
}

std::vector<serving::EndpointState> Endpoints::List() { return service_.Describe(); }

Result<EndpointDescription> Endpoints::Describe(const std::string& name, bool load) {
  ASSIGN_OR_RETURN(auto endpoint, service_.Endpoint(name));
  if (load && !endpoint->record().multi_model) (void)service_.Load(name);  // A failure shows as the model's state.
  EndpointDescription out;
  bool found = false;
  for (serving::EndpointState& state : service_.Describe()) {
    if (state.name != name) continue;
    out.state = std::move(state);
    found = true;
  }
  if (!found) return Status::NotFound("no endpoint '" + name + "'");  // Deleted meanwhile.
  ASSIGN_OR_RETURN(out.promotions, home_.metadata()->ListPromotions(name));
  return out;
}

Result<EndpointDescription> Endpoints::Deploy(const std::string& name, const std::string& ref, const std::string& by,
                                              const std::string& comment) {
  ASSIGN_OR_RETURN(store::EndpointDeployment pin, Pin(ref, by, comment));
  RETURN_IF_ERROR(Rules(home_).Deploy(name, pin).status());
  return Changed(name);
}

Result<EndpointDescription> Endpoints::Undeploy(const std::string& name, const std::string& group,
                                                const std::string& by) {
  RETURN_IF_ERROR(Rules(home_).Undeploy(name, group, by).status());
  return Changed(name);
}

Result<EndpointDescription> Endpoints::SetVariants(const std::string& name,
                                                   const std::vector<registry::VariantSpec>& variants,
                                                   const std::string& by) {
  RETURN_IF_ERROR(registry::Traffic(home_.metadata(), home_.clock()).Set(name, variants, by));
  return Changed(name);
}

Result<EndpointDescription> Endpoints::SetWeights(const std::string& name,
                                                  const std::vector<std::pair<std::string, double>>& weights,
                                                  const std::string& by) {
  RETURN_IF_ERROR(registry::Traffic(home_.metadata(), home_.clock()).SetWeights(name, weights, by).status());
  return Changed(name);
}

Status Endpoints::Delete(const std::string& name) {
  RETURN_IF_ERROR(Rules(home_).Delete(name));
  return service_.Refresh();
}

Result<store::PromotionRecord> Endpoints::Promote(const PromotionRequest& request) {
  ASSIGN_OR_RETURN(store::PromotionRecord promotion,
                   serving::CheckPromotion(service_, request.source, request.target, request.sample,
                                           request.require_capture));
  promotion.promoted_by = request.by;
  promotion.comment = request.comment;
  promotion.test["sample"] = request.sample_name;
  ASSIGN_OR_RETURN(store::EndpointRecord source, home_.metadata()->GetEndpoint(request.source));
  store::EndpointRecord new_target;  // Used when the target does not exist yet.
  new_target.multi_model = source.multi_model;
  new_target.capture_percent = request.capture_percent;
  ASSIGN_OR_RETURN(store::PromotionRecord recorded, Rules(home_).Promote(promotion, new_target));
  RETURN_IF_ERROR(service_.Refresh());
  return recorded;
}

Result<serving::Invocation> Endpoints::Invoke(const std::string& endpoint, const std::string& model,
                                             const serving::PredictRequest& request) {
  return service_.Invoke(endpoint, model, request);
}

}  // namespace grove::app
