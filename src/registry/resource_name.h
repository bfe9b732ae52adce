#pragma once

#include <string>

#include "common/status.h"

namespace grove::registry {

// Names of endpoints and model groups follow SageMaker's rule for both
// (EndpointName, ModelPackageGroupName): 1-63 letters, digits and '-', not
// starting or ending with '-'. Such names are safe in URLs, file names and
// "group/version" references.

// OK, or InvalidArgument "endpoint name 'x y' is not valid: use ...".
Status ValidateEndpointName(const std::string& name);
// OK, or InvalidArgument "model group name 'bad group/x' is not valid: use ...".
Status ValidateModelGroupName(const std::string& name);
// OK, or InvalidArgument "variant name ..." (SageMaker's VariantName: the same rule).
Status ValidateVariantName(const std::string& name);

}  // namespace grove::registry
