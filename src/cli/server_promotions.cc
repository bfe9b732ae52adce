#include "cli/server_promotions.h"

#include <iostream>

namespace grove::cli {

RunningPromotions::RunningPromotions(app::Home& home, serving::EndpointService& service)
    : home_(home), actions_(home, service), runner_(home.metadata(), &actions_, home.clock()) {}

RunningPromotions::~RunningPromotions() {
  if (follower_) follower_->Stop();
}

Status RunningPromotions::Start(std::chrono::milliseconds poll) {
  ASSIGN_OR_RETURN(int64_t cursor, runner_.Cursor());
  if (Status s = runner_.ResumeUnfinished(); !s.ok()) {
    std::cerr << "warning: promotion runs left behind: " << s.ToString() << "\n";
  }
  follower_ = std::make_unique<events::EventFollower>(
      home_.metadata(), poll, cursor,
      [this](const std::vector<store::EventRecord>& events) { return runner_.HandleEvents(events); });
  follower_->Start([](const Status& s) { std::cerr << "warning: promotion flows: " << s.ToString() << "\n"; });
  return Status::OK();
}

}  // namespace grove::cli
