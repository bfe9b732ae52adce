#pragma once

#include <string>

namespace grove {

// A new execution id: 12 random lowercase alphanumerics, as SageMaker's.
std::string NewExecutionId();

}  // namespace grove
