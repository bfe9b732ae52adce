#pragma once

// The server's side of promotion flows: runs start from approvals in the event
// log, followed from the runner's durable cursor (app/promotion_runner.h), so
// approvals made while no server ran start their runs when one starts.
#include <chrono>
#include <memory>

#include "app/home.h"
#include "app/promotion_actions.h"
#include "app/promotion_runner.h"
#include "events/event_follower.h"
#include "serving/endpoint_service.h"

namespace grove::cli {

// Runs promotion flows until destroyed. Deployments go through `service`, the server's own.
class RunningPromotions {
 public:
  RunningPromotions(app::Home& home, serving::EndpointService& service);
  ~RunningPromotions();

  // Drives runs a stopped server left behind, then follows the event log every `poll`.
  Status Start(std::chrono::milliseconds poll);

 private:
  app::Home& home_;
  app::EndpointPromotionActions actions_;
  app::PromotionRunner runner_;
  std::unique_ptr<events::EventFollower> follower_;
};

}  // namespace grove::cli
