#include "api/sagemaker/control_plane.h"

#include "api/sagemaker/wire.h"

namespace grove::api::sagemaker {

namespace {

constexpr std::string_view kTargetPrefix = "SageMaker.";

Result<std::string> AsText(Result<Json> answer) {
  if (!answer.ok()) return answer.status();
  return JsonText(*answer);
}

}  // namespace

void AddOperation(OperationTable& table, const OperationContext& ctx, const char* name, ContextOperation op) {
  table[name] = [&ctx, op](const Json& request, const Caller&) { return AsText(op(ctx, request)); };
}

void AddOperation(OperationTable& table, const OperationContext& ctx, const char* name, CallerOperation op) {
  table[name] = [&ctx, op](const Json& request, const Caller& caller) { return AsText(op(ctx, request, caller)); };
}

void AddOperation(OperationTable& table, const OperationContext& ctx, const char* name, TextOperation op) {
  table[name] = [&ctx, op](const Json& request, const Caller&) { return op(ctx, request); };
}

ControlPlane::ControlPlane(OperationContext context) : context_(std::move(context)) {
  AddPipelineOperations(context_, operations_);
  AddModelPackageOperations(context_, operations_);
  AddEndpointOperations(context_, operations_);
  AddModelOperations(context_, operations_);
  AddTagOperations(context_, operations_);
  AddExperimentOperations(context_, operations_);
  AddSearchOperations(context_, operations_);
}

std::vector<std::string> ControlPlane::Operations() const {
  std::vector<std::string> names;
  for (const auto& [name, op] : operations_) names.push_back(name);
  return names;
}

api::HttpResponse ControlPlane::Handle(const api::HttpRequest& request) {
  const std::string target(request.headers.Get("X-Amz-Target").value_or(""));
  if (request.method != "POST") {
    return ErrorResponse("UnknownOperationException", "the control plane takes POST /, not " + request.method);
  }
  if (target.rfind(kTargetPrefix, 0) != 0) {
    return ErrorResponse("UnknownOperationException", "X-Amz-Target '" + target + "' is not a SageMaker operation");
  }
  const std::string name = target.substr(kTargetPrefix.size());
  auto op = operations_.find(name);
  if (op == operations_.end()) {
    return ErrorResponse("UnknownOperationException", "Grove does not implement the SageMaker operation " + name);
  }
  Json body = request.body.empty() ? Json::object() : Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return ErrorResponse("SerializationException", "the request body is not a JSON object");
  }
  Caller caller;
  if (!request.identity.empty()) caller.identity = request.identity;  // Set by access control.
  try {
    Result<std::string> result = op->second(body, caller);
    return result.ok() ? OkResponse(std::move(result).value()) : ErrorResponse(result.status());
  } catch (const std::exception& e) {
    return ErrorResponse("InternalFailure", std::string("internal error in ") + name + ": " + e.what(), 500);
  }
}

}  // namespace grove::api::sagemaker
