#include "app/promotion_actions.h"

#include "app/captured_requests.h"
#include "app/endpoints.h"
#include "serving/payload.h"
#include "serving/promotion_gate.h"

namespace grove::app {

Result<std::string> EndpointPromotionActions::Deploy(const std::string& endpoint, const std::string& ref,
                                                     const std::string& by, const std::string& comment) {
  Endpoints endpoints(home_, service_);
  Result<store::EndpointRecord> existing = home_.metadata()->GetEndpoint(endpoint);
  if (!existing.ok() && existing.status().code() != StatusCode::kNotFound) return existing.status();
  if (existing.ok()) {
    RETURN_IF_ERROR(endpoints.Deploy(endpoint, ref, by, comment).status());
    return "deployed " + ref + " to " + endpoint;
  }
  EndpointSpec spec;
  spec.name = endpoint;
  spec.deploy = {ref};
  spec.by = by;
  spec.comment = comment;
  RETURN_IF_ERROR(endpoints.Create(spec).status());
  return "created endpoint " + endpoint + " serving " + ref;
}

Result<std::string> EndpointPromotionActions::TestSample(const std::string& endpoint, const std::string& sample,
                                                        bool raw) {
  ASSIGN_OR_RETURN(serving::PredictRequest request,
                   serving::ParseCsvRequest(sample, raw ? serving::InputKind::kRaw : serving::InputKind::kFeatures));
  RETURN_IF_ERROR(service_.Refresh());
  // The target only names the check in its messages: nothing is switched here.
  ASSIGN_OR_RETURN(store::PromotionRecord tested, serving::CheckPromotion(service_, endpoint, "approval", request));
  return "sample of " + std::to_string(request.rows) + " rows answered by " + endpoint + ": " +
         tested.test.value("results", Json::array()).dump();
}

Result<std::string> EndpointPromotionActions::CheckQuality(const std::string& endpoint, const std::string& ref,
                                                           const std::string& sample, TimeMs since) {
  Result<std::pair<Json, Json>> baseline = VersionBaseline(home_, ref);
  if (!baseline.ok() && baseline.status().code() == StatusCode::kNotFound) {
    return "data quality not checked: " + ref + " has no data-quality baseline";
  }
  if (!baseline.ok()) return baseline.status();
  Result<CapturedRows> captured = ReadCapturedRows(CaptureFolder(home_, endpoint), FormatIso8601(since));
  if (!captured.ok() && captured.status().code() != StatusCode::kNotFound) return captured.status();
  std::string csv = sample;
  if (!csv.empty() && csv.back() != '\n') csv += '\n';
  size_t captured_rows = captured.ok() ? captured->rows : 0;
  if (captured.ok()) csv += captured->csv;
  ASSIGN_OR_RETURN(Json report, CheckCsvQuality(csv, *baseline));
  const Json violations = report.value("violations", Json::array());
  std::string checked = "the sample and " + std::to_string(captured_rows) + " captured requests of " + endpoint;
  if (!violations.empty()) {
    return Status::FailedPrecondition("data quality of " + checked + " against " + ref + "'s baseline: " +
                                      std::to_string(violations.size()) + " violation(s): " + violations.dump());
  }
  return "data quality of " + checked + " within " + ref + "'s baseline";
}

}  // namespace grove::app
