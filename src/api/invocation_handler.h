#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/handler.h"
#include "serving/data_capture.h"
#include "serving/endpoint_service.h"
#include "serving/loader_pool.h"

namespace grove::api {

// Counters of answered invocations by class of status, for /metrics.
struct InvocationCounters {
  std::atomic<uint64_t> ok{0};
  std::atomic<uint64_t> client_errors{0};
  std::atomic<uint64_t> server_errors{0};

  void Count(int status);
  std::string PrometheusText() const;
};

// POST .../endpoints/{name}/invocations: decodes the body (JSON, or text/csv
// by Content-Type), predicts with the model the request names, and answers
// JSON or CSV by Accept.
//
// The model comes from the X-Grove-Model or X-Amzn-SageMaker-Target-Model
// header, else the JSON body's "model"; an endpoint with one model needs
// none. For CSV bodies, X-Grove-Input (or ?input=, or "input=" in
// X-Amzn-SageMaker-Custom-Attributes, which boto3 sends as CustomAttributes)
// says "features" (the default) or "raw"; X-Grove-Output (or ?output=, or
// "output=") "probability" or "label". X-Amzn-SageMaker-Target-Variant (boto3's
// TargetVariant) or X-Grove-Variant sends the request to that variant. The
// answer carries X-Grove-Model: "group/N" that answered, and X-Grove-Variant
// and X-Amzn-Invoked-Production-Variant: the variant ("AllTraffic" when the
// endpoint has none); an error after a variant was chosen carries X-Grove-Variant too.
//
// Errors, by dialect:
//   kGrove (/api/v1/...): Grove's JSON error body; unknown endpoint or model
//     404, bad rows 400 (with row, column, expected and received counts),
//     a model that does not load 500.
//   kSageMaker (/endpoints/...): what sagemaker-runtime clients expect:
//     unknown endpoint or model 400 ValidationError; rows the model rejects
//     424 ModelError with OriginalStatusCode 400; a model that does not load
//     424 ModelError with OriginalStatusCode 500. (x-amzn-ErrorType header and
//     "message" in the body.)
// A sampled share of successful requests goes to data capture when the
// endpoint asks for it.
//
// With a LoaderPool, a request whose model is not loaded is answered later
// (HttpResponse::deferred) once the pool has loaded it, so the I/O thread
// serves other requests meanwhile; a full pool answers 503 (Grove) or 503
// ServiceUnavailable (SageMaker). Without one, the model loads inline.
class InvocationHandler final : public Handler {
 public:
  enum class Dialect { kGrove, kSageMaker };

  // `capture` and `loader` may be null (no capture; loads inline). Pointers
  // must outlive the handler.
  InvocationHandler(serving::EndpointService* service, serving::DataCapture* capture, InvocationCounters* counters,
                    Dialect dialect, serving::LoaderPool* loader = nullptr)
      : service_(service), capture_(capture), counters_(counters), dialect_(dialect), loader_(loader) {}

  HttpResponse Handle(const HttpRequest& request) override;

 private:
  HttpResponse Answer(const HttpRequest& request);
  // Predicts and encodes the answer (the model loads inline if it must).
  HttpResponse Respond(const HttpRequest& request, const serving::ResolvedEndpoint& endpoint, std::string_view model,
                       const serving::PredictRequest& parsed);
  // On a miss with a loader pool: the deferred answer, given once the model is loaded.
  std::optional<HttpResponse> DeferOnMiss(const HttpRequest& request,
                                          std::shared_ptr<const serving::ResolvedEndpoint> endpoint,
                                          std::string_view model, serving::PredictRequest& parsed);
  HttpResponse Error(const Status& status) const;

  serving::EndpointService* service_;
  serving::DataCapture* capture_;
  InvocationCounters* counters_;
  Dialect dialect_;
  serving::LoaderPool* loader_;
};

}  // namespace grove::api
