#pragma once

// The Lambda functions Grove knows (`grove lambda create`), which a SageMaker
// pipeline's Lambda step names by ARN, over the resource table. A function is
// a command (the step's Arguments as JSON on its stdin, its answer as JSON on
// stdout) or a URL (the Arguments POSTed as JSON, the answer the response body).
//
// Rows (ResourceRecord kind -> name):
//   "lambda-function" -> the function's name; body {command} or {url}

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/store_transaction.h"

namespace grove::store {

struct FunctionRecord {
  std::string name;
  std::string command;  // Run with /bin/sh -c; empty for a URL function.
  std::string url;      // http:// or https://; empty for a command.
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// Lambda's name rule: 1-64 letters, digits, '-' and '_'.
Status CheckFunctionName(const std::string& name);
// The function name of a Lambda ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]) or a bare name.
std::string FunctionNameOf(const std::string& arn_or_name);

// Creates or replaces the function (exactly one of command and url).
Status PutFunction(StoreTransaction& txn, const FunctionRecord& function, TimeMs now);
// NotFound naming the functions that exist.
Result<FunctionRecord> RequireFunction(StoreReader& rows, const std::string& name);
Result<std::vector<FunctionRecord>> ListFunctions(StoreReader& rows);
// Whether there was one to delete.
Result<bool> DeleteFunction(StoreTransaction& txn, const std::string& name);

}  // namespace grove::store
