#pragma once

#include <string>

namespace grove {

// A new execution id: 12 random lowercase alphanumerics, as SageMaker's.
std::string NewExecutionId();

// A new callback token: 10 unpredictable alphanumerics (OpenSSL's RAND_bytes),
// SageMaker's length. Whoever holds it may end a Callback step's wait.
std::string NewCallbackToken();

}  // namespace grove
