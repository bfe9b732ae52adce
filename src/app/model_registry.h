#pragma once

#include <string>
#include <vector>

#include "app/home.h"
#include "common/json.h"
#include "common/status.h"
#include "ml/model.h"
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

// A model named by S3 URI, as a version registers it: the artifact Grove
// serves and what it is.
struct ModelFile {
  std::string digest;
  ml::ModelFileKind kind;
  std::string archive_digest;  // The model.tar.gz it came out of, if it did.
};

// Use cases of the model registry: groups, versions, register, approve, reject, and the
// full evaluation report. Versions are named "G/N" (InvalidArgument
// otherwise); unknown groups and versions are NotFound; approving an Approved
// version (or rejecting a Rejected one) is FailedPrecondition and changes nothing.
class ModelRegistry {
 public:
  explicit ModelRegistry(Home& home) : home_(home) {}

  Result<std::vector<store::ModelGroupRecord>> Groups();
  Result<std::vector<store::ModelVersionRecord>> Versions(const std::string& group);
  Result<store::ModelVersionRecord> Get(const std::string& ref);

  // The model `uri` names (s3://<bucket>/<key>, e.g. s3://grove-artifacts/sha256/<digest>),
  // checked by loading it as an endpoint would. Accepted: an XGBoost model as
  // xgboost saves it (JSON, UBJSON or binary), a grove-model document (any
  // ml family), or a model.tar.gz holding `xgboost-model` in either of
  // SageMaker's forms (ml/sagemaker_model_archive.h), whose model is then stored
  // in XGBoost's JSON as an artifact of its own, as the RegisterModel step
  // stores it, and is what the version serves.
  // InvalidArgument (a malformed URI, or a model Grove cannot load, naming why);
  // NotFound (no such bucket or key).
  Result<ModelFile> ResolveModel(const std::string& uri);
  // The artifact digest of the object `uri` names; errors as ResolveModel's.
  Result<std::string> ResolveObject(const std::string& uri);
  // Registers `version` as the next version of its group, which must exist
  // (NotFound otherwise); see registry::Registry::Register.
  Result<store::ModelVersionRecord> Register(const store::ModelVersionRecord& version);
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
