#pragma once

// SageMaker resource ARNs for Grove's objects (sagemaker-api.md §4.0):
//   pipeline            arn:aws:sagemaker:{region}:{account}:pipeline/{name-lowercased}
//   pipeline execution  ...:pipeline/{name-lowercased}/execution/{id}
//   model package group ...:model-package-group/{group}
//   model package       ...:model-package/{group-lowercased}/{version}
//   endpoint, model, endpoint config, jobs: ...:{kind}/{name}
// Grove serves one account and one region; clients only read them. Lowercased
// names do not round-trip, so parsing returns them lowercased and callers
// look names up without regard to case.

#include <optional>
#include <string>
#include <string_view>

#include "common/ascii.h"

namespace grove::api::sagemaker {

inline constexpr std::string_view kAccount = "123456789012";

class Arns {
 public:
  explicit Arns(std::string region = "us-east-1") : region_(std::move(region)) {}

  const std::string& region() const { return region_; }
  std::string Pipeline(const std::string& name) const;
  std::string Execution(const std::string& pipeline, const std::string& id) const;
  std::string ModelPackageGroup(const std::string& group) const;
  std::string ModelPackage(const std::string& group, int version) const;
  // E.g. Resource("endpoint", "churn-prod"), Resource("training-job", "pipelines-...").
  std::string Resource(std::string_view kind, const std::string& name) const;

 private:
  std::string region_;
};

// The parts of an ARN after "arn:aws:sagemaker:{region}:{account}:", split at
// the first '/': e.g. {"pipeline", "abalone/execution/4wemqw2sucgh"}.
struct ArnParts {
  std::string kind;
  std::string path;
};
// Nullopt when `text` is not a SageMaker ARN.
std::optional<ArnParts> ParseArn(std::string_view text);

// A name given as a name or as an ARN of `kind` ("pipeline/abalone" -> "abalone").
// Nullopt for an ARN of another kind.
std::optional<std::string> NameOrArn(std::string_view text, std::string_view kind);

// An execution id from its ARN or from the bare id.
std::optional<std::string> ExecutionIdOf(std::string_view text);

// {group (lowercased when from an ARN), version} from a versioned model
// package ARN or "group/version"; nullopt otherwise.
std::optional<std::pair<std::string, int>> ModelPackageOf(std::string_view text);


}  // namespace grove::api::sagemaker
