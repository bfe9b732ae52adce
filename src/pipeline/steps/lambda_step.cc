#include <curl/curl.h>

#include "common/file_util.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/sagemaker_job.h"
#include "pipeline/steps/script_runner.h"
#include "store/function_records.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

namespace {

namespace fs = std::filesystem;

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// POSTs `event` to `url`; the response body, or an error with the status and the start of the body.
Result<std::string> PostJson(const std::string& url, const std::string& event, long timeout_seconds) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Internal("curl_easy_init failed");
  std::string body;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, event.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(event.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) return Status::IOError("POST " + url + ": " + curl_easy_strerror(code));
  if (status < 200 || status > 299) {
    return Status::FailedPrecondition("POST " + url + " answered " + std::to_string(status) + ": " +
                                      body.substr(0, 300));
  }
  return body;
}

// Runs SageMaker's Lambda step against a function Grove knows
// (store/function_records.h, `grove lambda create`), named by the step's
// FunctionArn: the step's Arguments go as a JSON object to the command's
// stdin or as the body POSTed to the URL, and the JSON object it answers
// fills the step's OutputParameters (`Get: Steps.<name>.OutputParameters['x']`).
// An unknown function, an answer that is not a JSON object, or one without a
// declared output fails the step, saying which.
class LambdaStep : public SageMakerJobBase {
 public:
  std::string_view Name() const override { return "Lambda"; }
  int Version() const override { return 1; }
  bool Cacheable(const StepDef&) const override { return false; }  // A function may act on the world.

  Status Run(StepContext& ctx) const override {
    if (ctx.store == nullptr) return Status::Internal("no store to find Lambda functions in");
    const std::string arn = ctx.arguments.value("FunctionArn", "");
    const std::string name = store::FunctionNameOf(arn);
    ASSIGN_OR_RETURN(store::FunctionRecord function, store::ReadValue(*ctx.store, [&](store::StoreReader& rows) {
                       return store::RequireFunction(rows, name);
                     }));
    const std::string event = ctx.arguments.value("request", Json::object()).dump();
    const long timeout = ctx.arguments.value("TimeoutSeconds", 120);
    std::string answer;
    if (!function.url.empty()) {
      ctx.log("invoking " + name + ": POST " + function.url);
      ASSIGN_OR_RETURN(answer, PostJson(function.url, event, timeout));
    } else {
      ctx.log("invoking " + name + ": " + function.command);
      const fs::path dir = ctx.output_dir / "lambda";
      fs::create_directories(dir);
      RETURN_IF_ERROR(WriteFile(dir / "event.json", event));
      ScriptRequest script;
      script.name = function.command;
      script.argv = {"/bin/sh", "-c", "exec <\"$GROVE_LAMBDA_EVENT\" >\"$GROVE_LAMBDA_RESPONSE\"\n" + function.command};
      script.env = {{"GROVE_LAMBDA_EVENT", (dir / "event.json").string()},
                    {"GROVE_LAMBDA_RESPONSE", (dir / "response.json").string()}};
      script.log = ctx.log;
      script.stop = ctx.stop;
      RETURN_IF_ERROR(RunScript(script));
      ASSIGN_OR_RETURN(answer, ReadFile(dir / "response.json"));
    }
    Json parsed = Json::parse(answer, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) {
      return Status::InvalidArgument("Lambda function " + name + " answered " +
                                     (answer.empty() ? std::string("nothing") : "'" + answer.substr(0, 200) + "'") +
                                     ", not a JSON object");
    }
    Json outputs = Json::object();
    for (const Json& declared : ctx.arguments.value("OutputParameters", Json::array())) {
      const std::string output = declared.value("OutputName", "");
      if (!parsed.contains(output)) {
        return Status::InvalidArgument("Lambda function " + name + "'s answer has no output '" + output +
                                       "' (it has " + parsed.dump().substr(0, 200) + ")");
      }
      outputs[output] = parsed[output];
    }
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("properties"), Json{{"OutputParameters", outputs}}.dump()));
    ctx.metadata = {{"function_arn", arn}, {"output_parameters", OutputParameterList(outputs)}};
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeLambdaStep() { return std::make_unique<LambdaStep>(); }

}  // namespace grove::pipeline
