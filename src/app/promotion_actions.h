#pragma once

#include <string>

#include "app/home.h"
#include "app/promotion_runner.h"
#include "serving/endpoint_service.h"

namespace grove::app {

// The real PromotionActions, over app::Endpoints: deployments pin the version
// (creating the endpoint when missing, without capture), the sample test is
// serving::CheckPromotion's gate on the staging endpoint, and the quality
// check reads the endpoint's capture folder (app/captured_requests.h).
// `service` is refreshed after each deployment, so a server's own serves the
// change at once.
class EndpointPromotionActions : public PromotionActions {
 public:
  EndpointPromotionActions(Home& home, serving::EndpointService& service) : home_(home), service_(service) {}

  Result<std::string> Deploy(const std::string& endpoint, const std::string& ref, const std::string& by,
                             const std::string& comment) override;
  Result<std::string> TestSample(const std::string& endpoint, const std::string& sample, bool raw) override;
  Result<std::string> CheckQuality(const std::string& endpoint, const std::string& ref, const std::string& sample,
                                   TimeMs since) override;

 private:
  Home& home_;
  serving::EndpointService& service_;
};

}  // namespace grove::app
