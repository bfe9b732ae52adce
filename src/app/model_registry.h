#pragma once

#include <string>
#include <vector>

#include "app/home.h"
#include "common/json.h"
#include "common/status.h"
#include "store/records.h"

namespace grove::app {

// The evaluation report attached to a model version (its "model_quality"
// metrics document): the Evaluation step's property file, e.g.
// {"binary_classification_metrics": {"accuracy": {"value", "standard_deviation"},
//  "confusion_matrix", "receiver_operating_characteristic_curve", ...}}.
struct EvaluationReport {
  std::string digest;
  Json report;
};

// Use cases of the model registry: groups, versions, approve, reject, and the
// full evaluation report. Versions are named "G/N" (InvalidArgument
// otherwise); unknown groups and versions are NotFound; approving an Approved
// version (or rejecting a Rejected one) is FailedPrecondition and changes nothing.
class ModelRegistry {
 public:
  explicit ModelRegistry(Home& home) : home_(home) {}

  Result<std::vector<store::ModelGroupRecord>> Groups();
  Result<std::vector<store::ModelVersionRecord>> Versions(const std::string& group);
  Result<store::ModelVersionRecord> Get(const std::string& ref);
  Result<store::ModelVersionRecord> Approve(const std::string& ref, const std::string& comment, const std::string& by);
  Result<store::ModelVersionRecord> Reject(const std::string& ref, const std::string& comment, const std::string& by);

  // The version's evaluation report. NotFound when none is attached; IOError
  // when the artifact is missing or not JSON.
  Result<EvaluationReport> Report(const store::ModelVersionRecord& version);

 private:
  Home& home_;
};

// The headline metric values of a report, "mse=4.62 rmse=2.15": numbers
// only (no matrices or curves), register_metric left out.
std::string MetricsSummary(const Json& report);

}  // namespace grove::app
