#include "serving/promotion_gate.h"

#include <cmath>

namespace grove::serving {

Result<store::PromotionRecord> CheckPromotion(EndpointService& service, const std::string& source,
                                              const std::string& target, const PredictRequest& sample,
                                              bool require_capture) {
  ASSIGN_OR_RETURN(std::shared_ptr<const ResolvedEndpoint> endpoint, service.Endpoint(source));
  std::string refused = "promotion of '" + source + "' to '" + target + "' refused: ";
  if (endpoint->groups().empty()) {
    return Status::FailedPrecondition(refused + "'" + source + "' is not in service: it serves no Approved model");
  }
  if (require_capture && !(endpoint->record().capture_percent > 0)) {
    return Status::FailedPrecondition(refused + "'" + source + "' does not capture data (--capture-percent is 0)");
  }
  if (sample.rows == 0) return Status::FailedPrecondition(refused + "the test sample has no rows");
  store::PromotionRecord promotion;
  promotion.source = source;
  promotion.target = target;
  Json results = Json::array();
  for (const auto& [group, served] : endpoint->groups()) {
    std::string key = store::VersionRef(group, served.version);
    Result<Invocation> answer = service.Invoke(source, key, sample);
    if (!answer.ok()) {
      return Status::FailedPrecondition(refused + "test invocation of " + key + " failed: " +
                                        answer.status().message());
    }
    const Predictions& p = answer->predictions;
    if (p.rows != sample.rows) {
      return Status::FailedPrecondition(refused + key + " answered " + std::to_string(p.rows) + " rows for " +
                                        std::to_string(sample.rows));
    }
    Json first = Json::array();
    for (size_t i = 0; i < p.values.size(); ++i) {
      if (!std::isfinite(p.values[i])) {
        return Status::FailedPrecondition(refused + key + " predicted a non-finite value for row " +
                                          std::to_string(i / p.per_row + 1));
      }
      if (first.size() < 5) first.push_back(p.values[i]);
    }
    results.push_back({{"model", key}, {"predictions", first}});
    promotion.models.push_back({group, served.version, "", "", 0});
  }
  promotion.test = {{"rows", sample.rows}, {"results", results}};
  return promotion;
}

}  // namespace grove::serving
