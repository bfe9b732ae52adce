#pragma once

#include <string>
#include <vector>

#include "app/home.h"
#include "common/status.h"
#include "store/function_records.h"

namespace grove::app {

// Use cases of the Lambda functions a SageMaker pipeline's Lambda steps call
// (store/function_records.h): create or replace, list, delete.
class Functions {
 public:
  explicit Functions(Home& home) : home_(home) {}

  // Exactly one of `command` and `url`. InvalidArgument for a bad name or URL.
  Result<store::FunctionRecord> Create(const std::string& name, const std::string& command, const std::string& url);
  Result<std::vector<store::FunctionRecord>> List();
  // NotFound when there is no such function.
  Status Delete(const std::string& name);

 private:
  Home& home_;
};

}  // namespace grove::app
