#include "data/preparation.h"
#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/script_runner.h"
#include "pipeline/steps/step_arguments.h"

#include <algorithm>
#include <cctype>

#include "common/file_util.h"

namespace grove::pipeline {

namespace {

bool IsScript(const StepDef& step) { return step.arguments.is_object() && step.arguments.contains("command"); }

std::string EnvName(const std::string& prefix, const std::string& name) {
  std::string out = prefix;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(c)) : '_';
  return out;
}

// Prepares tabular data. Two forms:
// - built-in: read a CSV, filter/drop, impute/scale/one-hot, label first,
//   shuffle and split (data::RunPreparation); outputs one CSV per split and
//   the fitted `transform`;
// - script: `command` runs with each input passed as `--input-<name> <path>`
//   and GROVE_INPUT_<NAME>, and each declared output folder as
//   `--output-<name> <path>` and GROVE_OUTPUT_<NAME>.
class ProcessingStep : public StepType {
 public:
  std::string_view Name() const override { return "Processing"; }
  int Version() const override { return 1; }

  std::vector<std::string> Outputs(const StepDef& step) const override {
    std::vector<std::string> outputs;
    const Json& args = step.arguments;
    if (IsScript(step)) {
      if (args.contains("outputs") && args["outputs"].is_array()) {
        for (const Json& o : args["outputs"]) {
          if (o.is_string()) outputs.push_back(o.get<std::string>());
        }
      }
      return outputs;
    }
    if (args.contains("split") && args["split"].is_object()) {
      for (const auto& [name, value] : args["split"].items()) {
        if (name != "seed" && name != "stratify") outputs.push_back(name);
      }
    } else {
      outputs.push_back("train");  // The default split: {train: 1}.
    }
    outputs.push_back("transform");
    return outputs;
  }

  std::vector<std::string> InputArguments(const StepDef& step) const override {
    if (IsScript(step)) return {"inputs"};
    return {"input"};
  }

  Status Validate(const StepDef& step, const Definition& def) const override {
    if (IsScript(step)) {
      RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"command"}, {"inputs", "outputs", "env"}));
      const Json& cmd = step.arguments["command"];
      if (!cmd.is_array() || cmd.empty()) {
        return def.ErrorAt(ArgumentField(step, "command"), "expected a non-empty list, e.g. [python3, prep.py]");
      }
      const Json& outs = step.arguments.value("outputs", Json::array());
      if (!outs.is_array()) return def.ErrorAt(ArgumentField(step, "outputs"), "expected a list of output names");
      return Status::OK();
    }
    // `input` is usually an expression; any other expression-valued argument
    // defers the check to run time, when its value is known.
    Json args = step.arguments;
    if (args.is_object() && args.contains("input") && IsExpression(args["input"])) args["input"] = "<expression>";
    if (LiteralView(args) != args) return Status::OK();
    Status s = data::ValidatePrepareArguments(args);
    if (!s.ok()) return def.ErrorAt(ArgumentField(step, ""), s.message());
    return Status::OK();
  }

  Status Run(StepContext& ctx) const override {
    if (IsScript(*ctx.step)) return RunCommand(ctx);
    ASSIGN_OR_RETURN(data::PrepareSummary summary, data::RunPreparation(ctx.arguments, ctx.output_dir));
    Json splits = Json::object();
    for (const auto& [name, rows] : summary.split_rows) splits[name] = rows;
    ctx.metadata = {{"rows_read", summary.rows_read},
                    {"rows_kept", summary.rows_kept},
                    {"splits", splits},
                    {"columns", summary.output_columns}};
    ctx.log("read " + std::to_string(summary.rows_read) + " rows, kept " + std::to_string(summary.rows_kept) +
            ", splits " + splits.dump() + ", " + std::to_string(summary.output_columns.size()) + " columns");
    return Status::OK();
  }

 private:
  Status RunCommand(StepContext& ctx) const {
    ScriptRequest request;
    for (const Json& a : ctx.arguments["command"]) request.argv.push_back(ScalarText(a));
    const Json inputs = ctx.arguments.value("inputs", Json::object());
    for (const auto& [name, path] : inputs.items()) {
      request.argv.push_back("--input-" + name);
      request.argv.push_back(ScalarText(path));
      request.env[EnvName("GROVE_INPUT_", name)] = ScalarText(path);
    }
    for (const std::string& name : Outputs(*ctx.step)) {
      std::filesystem::path dir = ctx.OutputPath(name);
      RETURN_IF_ERROR(MakeDirs(dir));
      request.argv.push_back("--output-" + name);
      request.argv.push_back(dir.string());
      request.env[EnvName("GROVE_OUTPUT_", name)] = dir.string();
    }
    const Json env = ctx.arguments.value("env", Json::object());
    for (const auto& [k, v] : env.items()) request.env[k] = ScalarText(v);
    request.env["GROVE_EXECUTION_ID"] = ctx.execution_id;
    request.log = ctx.log;
    request.stop = ctx.stop;
    return RunScript(request);
  }
};

}  // namespace

std::unique_ptr<StepType> MakeProcessingStep() { return std::make_unique<ProcessingStep>(); }

}  // namespace grove::pipeline
