#pragma once

// SageMaker's control plane (protocol JSON 1.1: `POST /` with
// `X-Amz-Target: SageMaker.<Operation>`), answered from Grove's stores so
// that boto3 and aws-cli code written for SageMaker works unchanged. See
// docs/api.md for the operations and how Grove's objects appear in them.

#include <memory>
#include <string>
#include <vector>

#include "api/handler.h"
#include "api/sagemaker/operations.h"

namespace grove::api::sagemaker {

class ControlPlane : public api::Handler {
 public:
  explicit ControlPlane(OperationContext context);

  // Runs the operation the request names. Unknown operations get
  // UnknownOperationException; a body that is not a JSON object
  // SerializationException; every other error the service's form (wire.h).
  api::HttpResponse Handle(const api::HttpRequest& request) override;

  // The operations implemented, sorted.
  std::vector<std::string> Operations() const;

 private:
  const OperationContext context_;
  OperationTable operations_;
};

}  // namespace grove::api::sagemaker
