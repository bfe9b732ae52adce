// The expression parser (pipeline/expression_tree.h) and what reads its tree
// (pipeline/expression.h): a JSON document parsed as a value and as a
// condition list, then resolved and evaluated against parameters, execution
// variables, step outputs and a property file; text that is not JSON is read
// as a JsonGet path.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/expression.h"
#include "pipeline/expression_tree.h"

namespace {

using grove::Json;
using grove::Result;
namespace pipeline = grove::pipeline;

// Values every reference kind finds, so resolution goes past the lookup.
pipeline::ResolveContext MakeContext() {
  static const Json parameters = {{"Threshold", 6.5}, {"Name", "abalone"}, {"Count", 3}, {"Flag", true}};
  pipeline::ResolveContext ctx;
  ctx.parameters = &parameters;
  ctx.execution = {{"ExecutionId", "e-1"}, {"StartDateTime", "2026-11-28T00:00:00Z"}, {"PipelineName", "p"}};
  ctx.step_output = [](const std::string& step, const std::string& output) -> Result<Json> {
    return Json("/outputs/" + step + "/" + output);
  };
  ctx.property_file = [](const std::string& step) -> Result<Json> {
    return Json::parse(R"({"metrics": {"mse": {"value": 4.2}}, "list": [1, "two", [3]], "PropertyFiles": {}})");
  };
  return ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    auto path = pipeline::ParseJsonPath(text);
    if (path.ok()) (void)pipeline::LookupJsonPath(Json::parse(R"({"a": {"b": [0, {"c": 1}]}})"), *path);
    return 0;
  }
  const pipeline::ResolveContext ctx = MakeContext();
  std::vector<pipeline::ExpressionIssue> issues;
  pipeline::Expr value = pipeline::ParseValue(doc, "arguments.fuzz", &issues);
  (void)pipeline::IsExpression(doc);
  pipeline::ForEachNode(value, [](const pipeline::Expr& node) { (void)pipeline::Label(node); });
  (void)pipeline::Resolve(value, ctx);
  (void)pipeline::ResolveWritten(doc, {value}, ctx);

  issues.clear();
  pipeline::Expr conditions = pipeline::ParseConditions(doc, "conditions", &issues);
  (void)pipeline::EvaluateConditions(conditions, ctx);
  (void)pipeline::EvaluateResolvedConditions(conditions, doc);
  return 0;
}
