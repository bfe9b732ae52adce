#pragma once

// The server's side of rollouts (app/rollouts.h): a thread that looks at every
// running rollout each poll, with the alarms reading this server's variant
// counters, so rollouts started by any process on the store move on here.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/home.h"
#include "app/rollouts.h"
#include "serving/endpoint_service.h"

namespace grove::cli {

class RunningRollouts {
 public:
  RunningRollouts(app::Home& home, serving::EndpointService& service);
  ~RunningRollouts();  // Stops the thread.

  void Start(std::chrono::milliseconds poll);

 private:
  void Loop(std::chrono::milliseconds poll);
  void Tick();

  serving::EndpointService& service_;
  app::Rollouts rollouts_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace grove::cli
