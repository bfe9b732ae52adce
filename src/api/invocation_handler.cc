#include "api/invocation_handler.h"

#include <string_view>

#include "serving/payload.h"

namespace grove::api {

namespace {

// The variant name of an endpoint without variants, as SageMaker names its only one.
const std::string kDefaultVariant = "AllTraffic";

// `key`'s value in SageMaker custom attributes, e.g. "input=raw; output=label".
std::string_view CustomAttribute(std::string_view attributes, std::string_view key) {
  while (!attributes.empty()) {
    size_t end = attributes.find_first_of(";,");
    std::string_view pair = attributes.substr(0, end);
    attributes = end == std::string_view::npos ? std::string_view() : attributes.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > key.size() && pair.substr(0, key.size()) == key && pair[key.size()] == '=') {
      return pair.substr(key.size() + 1);
    }
  }
  return {};
}

// The header, else the query parameter, else the SageMaker custom attribute
// named like the query parameter, else empty.
std::string_view Choice(const HttpRequest& request, std::string_view header, std::string_view query) {
  if (auto value = request.headers.Get(header)) return *value;
  if (auto value = request.QueryParam(query)) return *value;
  return CustomAttribute(request.headers.Get("X-Amzn-SageMaker-Custom-Attributes").value_or(""), query);
}

HttpResponse SageMakerError(int status, std::string_view type, const std::string& message, const Json& extra = {}) {
  Json body = {{"message", message}};
  if (extra.is_object()) body.update(extra);
  HttpResponse response = JsonResponse(status, body);
  response.headers.Set("x-amzn-ErrorType", std::string(type));
  return response;
}

}  // namespace

void InvocationCounters::Count(int status) {
  if (status < 400) {
    ok.fetch_add(1, std::memory_order_relaxed);
  } else if (status < 500) {
    client_errors.fetch_add(1, std::memory_order_relaxed);
  } else {
    server_errors.fetch_add(1, std::memory_order_relaxed);
  }
}

std::string InvocationCounters::PrometheusText() const {
  std::string out =
      "# HELP grove_invocations_total Invocations answered, by class of HTTP status.\n"
      "# TYPE grove_invocations_total counter\n";
  out += "grove_invocations_total{code=\"2xx\"} " + std::to_string(ok.load()) + "\n";
  out += "grove_invocations_total{code=\"4xx\"} " + std::to_string(client_errors.load()) + "\n";
  out += "grove_invocations_total{code=\"5xx\"} " + std::to_string(server_errors.load()) + "\n";
  return out;
}

HttpResponse InvocationHandler::Handle(const HttpRequest& request) {
  HttpResponse response = Answer(request);
  if (counters_ != nullptr && !response.deferred) counters_->Count(response.status);  // Deferred: counted when given.
  return response;
}

HttpResponse InvocationHandler::Answer(const HttpRequest& request) {
  Result<std::shared_ptr<const serving::ResolvedEndpoint>> endpoint = service_->Endpoint(request.PathParam("name"));
  if (!endpoint.ok()) return Error(endpoint.status());

  std::string_view content_type = request.headers.Get("Content-Type").value_or("");
  serving::InputKind csv_input = serving::InputKind::kFeatures;
  if (std::string_view input = Choice(request, "X-Grove-Input", "input"); !input.empty()) {
    Result<serving::InputKind> kind = serving::ParseInputKind(input);
    if (!kind.ok()) return Error(kind.status());
    csv_input = *kind;
  }
  Result<serving::PredictRequest> parsed = serving::ParseRequest(request.body, content_type, csv_input);
  if (!parsed.ok()) return Error(parsed.status());
  if (std::string_view output = Choice(request, "X-Grove-Output", "output"); !output.empty()) {
    Result<serving::OutputRequest> requested = serving::ParseOutputRequest(output);
    if (!requested.ok()) return Error(requested.status());
    parsed->output = *requested;
  }
  std::string_view model = request.headers.Get("X-Grove-Model").value_or("");
  if (model.empty()) model = request.headers.Get("X-Amzn-SageMaker-Target-Model").value_or("");

  if (loader_ != nullptr) {
    if (std::optional<HttpResponse> later = DeferOnMiss(request, *endpoint, model, *parsed)) return *std::move(later);
  }
  return Respond(request, **endpoint, model, *parsed);
}

std::optional<HttpResponse> InvocationHandler::DeferOnMiss(const HttpRequest& request,
                                                           std::shared_ptr<const serving::ResolvedEndpoint> endpoint,
                                                           std::string_view model, serving::PredictRequest& parsed) {
  Result<std::string> key = endpoint->Find(model.empty() ? parsed.model : model);
  // Hits, and names that resolve to nothing, are answered inline.
  if (!key.ok()) return std::nullopt;
  std::string missing = service_->cache().Peek(*key) == nullptr ? *key : "";
  for (const serving::ServedVariant& v : endpoint->variants()) {  // A variant the request may be routed to.
    if (missing.empty() && !v.shadow && service_->cache().Peek(v.key) == nullptr) missing = v.key;
  }
  if (missing.empty()) return std::nullopt;
  // What the answer needs outlives the request: the request's fields go with the load.
  struct Pending {
    HttpRequest request;
    std::shared_ptr<const serving::ResolvedEndpoint> endpoint;
    std::string model;
    serving::PredictRequest parsed;
  };
  auto pending =
      std::make_shared<Pending>(Pending{request, std::move(endpoint), std::string(model), std::move(parsed)});
  HttpResponse response;
  response.deferred = std::make_shared<DeferredResponse>();
  loader_->Load(missing, [this, pending, deferred = response.deferred](Result<serving::ModelCache::Model> loaded) {
    HttpResponse answer = loaded.ok() ? Respond(pending->request, *pending->endpoint, pending->model, pending->parsed)
                                      : Error(loaded.status());
    if (counters_ != nullptr) counters_->Count(answer.status);
    deferred->Complete(std::move(answer));
  });
  return response;
}

HttpResponse InvocationHandler::Respond(const HttpRequest& request, const serving::ResolvedEndpoint& endpoint,
                                        std::string_view model, const serving::PredictRequest& parsed) {
  std::string_view variant = request.headers.Get("X-Amzn-SageMaker-Target-Variant").value_or("");
  if (variant.empty()) variant = request.headers.Get("X-Grove-Variant").value_or("");
  std::string routed;
  Result<serving::Invocation> invocation = service_->Invoke(endpoint, model, parsed, variant, &routed);
  if (!invocation.ok()) {
    HttpResponse response = Error(invocation.status());
    if (!routed.empty()) response.headers.Add("X-Grove-Variant", routed);  // Which variant failed.
    return response;
  }
  std::string_view content_type = request.headers.Get("Content-Type").value_or("");

  serving::ResponseFormat format = serving::ResponseFormatOf(request.headers.Get("Accept").value_or(""));
  HttpResponse response = TextResponse(200, serving::EncodePredictions(invocation->predictions, format),
                                       serving::ContentTypeOf(format));
  response.headers.Reserve(3);
  response.headers.Add("X-Grove-Model", invocation->model_key);
  const std::string& answered = invocation->variant.empty() ? kDefaultVariant : invocation->variant;
  response.headers.Add("X-Grove-Variant", answered);
  response.headers.Add("X-Amzn-Invoked-Production-Variant", answered);
  if (capture_ != nullptr && capture_->Sample(endpoint.record().capture_percent)) {
    // Capture is best effort: a full disk must not fail predictions.
    (void)capture_->Append({endpoint.name(), invocation->model_key,
                            std::string(content_type), request.body,
                            response.content_type, response.body});
  }
  return response;
}

HttpResponse InvocationHandler::Error(const Status& status) const {
  if (dialect_ == Dialect::kGrove) {
    if (status.code() == StatusCode::kFailedPrecondition) {
      return ErrorResponse(400, "FailedPrecondition", status.message());  // The request's fault, not a conflict.
    }
    return StatusResponse(status);
  }
  switch (status.code()) {
    case StatusCode::kNotFound:
      return SageMakerError(400, "ValidationError", status.message());
    case StatusCode::kCancelled:  // The loader pool is full or stopping: retry.
      return SageMakerError(503, "ServiceUnavailable", status.message());
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:
      return SageMakerError(424, "ModelError",
                            "Received client error (400) from primary with message \"" + status.message() + "\".",
                            {{"OriginalStatusCode", 400}, {"OriginalMessage", status.message()}});
    default:
      return SageMakerError(424, "ModelError",
                            "Received server error (500) from primary with message \"" + status.message() + "\".",
                            {{"OriginalStatusCode", 500}, {"OriginalMessage", status.message()}});
  }
}

}  // namespace grove::api
