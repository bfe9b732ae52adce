#include <cmath>
#include <cstdlib>

#include "common/file_util.h"
#include "data/cell_text.h"
#include "data/data_quality.h"
#include "ml/model_quality.h"
#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

namespace {

// The names under which a version's `metrics` map holds baselines (RegisterModel's arguments).
struct BaselineNames {
  const char* statistics;
  const char* constraints;
};
BaselineNames BaselineNamesOf(bool data_quality) {
  return data_quality ? BaselineNames{"data_statistics", "data_constraints"}
                      : BaselineNames{"model_statistics", "model_constraints"};
}

bool BoolArgument(const Json& args, const char* key, bool fallback) {
  return args.contains(key) && args[key].is_boolean() ? args[key].get<bool>() : fallback;
}

Result<Json> ReadJsonFile(const std::filesystem::path& path, const std::string& what) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument(what + ": " + path.string() + " is not JSON");
  return doc;
}

// The baseline a check compares with, and where it came from.
struct Baseline {
  std::string source = "none";  // "supplied" | "registry" | "none"
  std::string version;          // "group/N" when from the registry.
  Json statistics;              // Null when not known.
  Json constraints;             // Null when there is no baseline.
  Json digests = Json::object();
  bool first_time = false;  // `group` has no Approved version with a baseline yet.
};

// The baselines attached to the group's newest Approved version; source
// "none" when the group or such a version (or its baseline) does not exist.
Result<Baseline> RegistryBaseline(StepContext& ctx, const std::string& group, bool data_quality) {
  Baseline b;
  if (ctx.store == nullptr || ctx.artifacts == nullptr) {
    return Status::Internal("no metadata or artifact store to read group " + group + "'s baseline from");
  }
  auto versions = ctx.store->ListModelVersions(group);
  if (!versions.ok()) {
    if (versions.status().code() == StatusCode::kNotFound) return b;
    return versions.status();
  }
  const store::ModelVersionRecord* approved = nullptr;
  for (const store::ModelVersionRecord& v : *versions) {
    if (v.approval_status == "Approved") approved = &v;
  }
  if (approved == nullptr) return b;
  BaselineNames names = BaselineNamesOf(data_quality);
  const Json& metrics = approved->metrics;
  std::string ref = store::VersionRef(approved->group, approved->version);
  if (!metrics.is_object() || !metrics.contains(names.constraints) || !metrics[names.constraints].is_string()) {
    ctx.log("version " + ref + " is Approved but has no " + names.constraints + " attached");
    return b;
  }
  for (const char* name : {names.statistics, names.constraints}) {
    if (!metrics.contains(name) || !metrics[name].is_string()) continue;
    std::string digest = metrics[name].get<std::string>();
    ASSIGN_OR_RETURN(std::filesystem::path path, ctx.artifacts->LocalPath(digest));
    ASSIGN_OR_RETURN(Json doc, ReadJsonFile(path, ref + " " + name));
    (name == names.statistics ? b.statistics : b.constraints) = std::move(doc);
    b.digests[name] = digest;
  }
  b.source = "registry";
  b.version = ref;
  return b;
}

// The existing baseline: the supplied one, else the group's newest Approved
// version's; first_time when `group` has none (SageMaker's first run of a dimension).
Result<Baseline> ExistingBaseline(StepContext& ctx, bool data_quality) {
  const Json& args = ctx.arguments;
  Baseline baseline;
  if (args.contains("baseline_constraints") && args["baseline_constraints"].is_string()) {
    baseline.source = "supplied";
    ASSIGN_OR_RETURN(baseline.constraints,
                     ReadJsonFile(args["baseline_constraints"].get<std::string>(), "baseline_constraints"));
    if (args.contains("baseline_statistics") && args["baseline_statistics"].is_string()) {
      ASSIGN_OR_RETURN(baseline.statistics,
                       ReadJsonFile(args["baseline_statistics"].get<std::string>(), "baseline_statistics"));
    }
    for (const char* name : {"baseline_statistics", "baseline_constraints"}) {
      if (ctx.input_digests.contains(name)) baseline.digests[name] = ctx.input_digests[name];
    }
    return baseline;
  }
  const std::string group = ArgumentText(args, "group");
  if (group.empty()) return baseline;
  ASSIGN_OR_RETURN(baseline, RegistryBaseline(ctx, group, data_quality));
  if (baseline.source == "none") {
    ctx.log("group " + group + " has no Approved version with a baseline: the first time it is seen, so "
            "the check is skipped and the calculated baseline is registered");
    baseline.first_time = true;
  } else {
    ctx.log("baseline of " + baseline.version);
  }
  return baseline;
}

Result<data::Table> ReadDataset(const Json& args) {
  data::QualityDatasetOptions options;
  options.header = BoolArgument(args, "header", true);
  options.exclude_label = BoolArgument(args, "exclude_label", false);
  options.label_column = ArgumentText(args, "label_column");
  auto table = data::ReadQualityDataset(args["dataset"].get<std::string>(), options);
  if (!table.ok()) return table.status().WithContext("dataset");
  return table;
}

// A numeric column of `table` by name, every row present.
Result<std::vector<double>> NumericColumn(const data::Table& table, const std::string& name) {
  std::optional<size_t> index = table.FindColumn(name);
  if (!index) return Status::InvalidArgument("dataset: no column '" + name + "' (columns: " + table.ColumnList() + ")");
  const data::Column& c = table.column(*index);
  if (c.kind != data::ColumnKind::kNumeric) {
    return Status::InvalidArgument("dataset: column '" + name + "' is not numeric");
  }
  for (size_t r = 0; r < c.numbers.size(); ++r) {
    if (std::isnan(c.numbers[r])) {
      return Status::InvalidArgument("dataset: " + table.CellLocation(r, *index) + ": column '" + name +
                                     "' has no value");
    }
  }
  return c.numbers;
}

// Model-quality statistics: from `model` predicting the label-first `dataset`,
// or from a dataset with ground truth and probability or prediction columns.
Result<Json> ModelStatistics(StepContext& ctx) {
  const Json& args = ctx.arguments;
  ASSIGN_OR_RETURN(std::string kind, ml::EvaluationKindOf(ArgumentText(args, "problem_type")));
  double threshold = args.contains("probability_threshold") && args["probability_threshold"].is_number()
                         ? args["probability_threshold"].get<double>()
                         : 0.5;
  if (args.contains("model") && args["model"].is_string()) {
    ml::EvaluationRequest request;
    request.model = args["model"].get<std::string>();
    request.test = args["dataset"].get<std::string>();
    request.kind = kind;
    request.threshold = threshold;
    request.nthread = ctx.threads;
    return ml::ModelQualityOfModel(request);
  }
  ASSIGN_OR_RETURN(data::Table table, ReadDataset(args));
  ASSIGN_OR_RETURN(std::vector<double> truth,
                   NumericColumn(table, ArgumentText(args, "ground_truth_attribute", "ground_truth")));
  std::string probability = ArgumentText(args, "probability_attribute", "probability");
  std::string prediction = ArgumentText(args, "inference_attribute", "prediction");
  bool use_probability = kind == "binary_classification" && table.FindColumn(probability).has_value();
  ASSIGN_OR_RETURN(std::vector<double> predicted, NumericColumn(table, use_probability ? probability : prediction));
  if (kind == "regression") return ml::RegressionQualityStatistics(truth, predicted);
  for (size_t r = 0; r < truth.size(); ++r) {
    if (truth[r] != 0 && truth[r] != 1) {
      return Status::InvalidArgument("dataset: data row " + std::to_string(r + 1) + ": ground truth " +
                                     data::FormatNumber(truth[r]) + "; binary classification needs 0 or 1");
    }
  }
  return ml::BinaryClassificationQualityStatistics(truth, predicted, threshold);
}

// The quality.violation event's payload but its execution_id: {step, kind, violations, group?, version?}.
Json ViolationEvent(const StepContext& ctx, bool data_quality, size_t count, const Baseline& baseline) {
  Json event = {{"step", ctx.step->name}, {"kind", data_quality ? "data" : "model"}, {"violations", count}};
  const size_t slash = baseline.version.rfind('/');
  if (slash != std::string::npos) {
    event["group"] = baseline.version.substr(0, slash);
    event["version"] = std::atoi(baseline.version.c_str() + slash + 1);
  } else if (ctx.arguments.contains("group") && ctx.arguments["group"].is_string()) {
    event["group"] = ctx.arguments["group"];
  }
  return event;
}

// "a (baseline_drift_check), b (completeness_check)" for the first few violations.
std::string ViolationSummary(const Json& violations) {
  std::string out;
  size_t shown = 0;
  for (const Json& v : violations) {
    if (shown++ == 5) {
      out += ", ...";
      break;
    }
    std::string name = v.contains("feature_name") ? v.value("feature_name", "") : v.value("metric_name", "");
    out += (out.empty() ? "" : ", ") + name + " (" + v.value("constraint_check_type", "") + ")";
  }
  return out;
}

// Data or model quality of a dataset against a baseline, in Model Monitor's
// layouts (docs/pipeline-format.md, QualityCheck). Outputs: the calculated
// baseline (`statistics`, `constraints`: CalculatedBaseline), the
// `violations` (constraint_violations.json, empty when the check is skipped)
// and what BaselineUsedForDriftCheck holds (`drift_check_statistics`,
// `drift_check_constraints`). Not cacheable with `group`: the result depends
// on the registry's newest Approved version, which no cache key sees.
class QualityCheckStep : public StepType {
 public:
  std::string_view Name() const override { return "QualityCheck"; }
  int Version() const override { return 1; }
  bool Cacheable(const StepDef& step) const override { return !step.arguments.contains("group"); }
  std::vector<std::string> Outputs(const StepDef&) const override {
    return {"statistics", "constraints", "violations", "drift_check_statistics", "drift_check_constraints"};
  }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return "statistics"; }
  std::vector<std::string> InputArguments(const StepDef&) const override {
    return {"dataset", "model", "baseline_statistics", "baseline_constraints"};
  }

  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"check_type", ArgType::kString},
            {"dataset", ArgType::kPath},
            {"header", ArgType::kBoolean},
            {"exclude_label", ArgType::kBoolean},
            {"label_column", ArgType::kString},
            {"model", ArgType::kPath},
            {"problem_type", ArgType::kString},
            {"probability_threshold", ArgType::kNumber},
            {"ground_truth_attribute", ArgType::kString},
            {"probability_attribute", ArgType::kString},
            {"inference_attribute", ArgType::kString},
            {"skip_check", ArgType::kBoolean},
            {"register_new_baseline", ArgType::kBoolean},
            {"fail_on_violation", ArgType::kBoolean},
            {"baseline_statistics", ArgType::kPath},
            {"baseline_constraints", ArgType::kPath},
            {"group", ArgType::kString}};
  }

  Status Validate(const StepDef& step, const Definition& def) const override {
    RETURN_IF_ERROR(CheckArgumentKeys(
        step, def, {"check_type", "dataset"},
        {"header", "exclude_label", "label_column", "model", "problem_type", "probability_threshold",
         "ground_truth_attribute", "probability_attribute", "inference_attribute", "skip_check",
         "register_new_baseline", "fail_on_violation", "baseline_statistics", "baseline_constraints", "group"}));
    const Json& type = step.arguments["check_type"];
    if (type.is_string() && type != "data_quality" && type != "model_quality") {
      return def.ErrorAt(ArgumentField(step, "check_type"),
                         "expected data_quality or model_quality, got " + type.dump());
    }
    const Json& problem = step.arguments.value("problem_type", Json());
    if (problem.is_string()) {
      Status s = ml::EvaluationKindOf(problem.get<std::string>()).status();
      if (!s.ok()) return def.ErrorAt(ArgumentField(step, "problem_type"), s.message());
    }
    if (type == "model_quality" && !step.arguments.contains("problem_type")) {
      return def.ErrorAt("steps." + step.name, "a model_quality check needs problem_type (Regression or "
                                               "BinaryClassification)");
    }
    if (type == "data_quality" && step.arguments.contains("model")) {
      return def.ErrorAt(ArgumentField(step, "model"), "a data_quality check takes no model");
    }
    if (step.arguments.contains("baseline_statistics") && !step.arguments.contains("baseline_constraints")) {
      return def.ErrorAt(ArgumentField(step, "baseline_statistics"),
                         "a supplied baseline needs baseline_constraints too");
    }
    return Status::OK();
  }

  // Appends the quality.violation event Run found, with the step run's record (also when the step fails the execution).
  Status Commit(CommitContext& ctx) const override {
    if (!ctx.effects.is_object() || !ctx.effects.contains("quality_violation")) return Status::OK();
    Json payload = {{"execution_id", ctx.execution_id}};
    for (const auto& [key, value] : ctx.effects["quality_violation"].items()) payload[key] = value;
    return ctx.txn->AppendEvent(ctx.store->clock()->Now(), "quality.violation", ctx.execution_id, payload).status();
  }

  Status Run(StepContext& ctx) const override {
    const Json& args = ctx.arguments;
    const bool data_quality = ArgumentText(args, "check_type") == "data_quality";
    bool skip_check = BoolArgument(args, "skip_check", false);
    bool register_new = BoolArgument(args, "register_new_baseline", false);
    const bool fail_on_violation = BoolArgument(args, "fail_on_violation", true);

    // The calculated baseline.
    std::optional<data::Table> table;
    Json statistics;
    Json constraints;
    if (data_quality) {
      ASSIGN_OR_RETURN(data::Table read, ReadDataset(args));
      statistics = data::ComputeStatistics(read);
      constraints = data::SuggestConstraints(statistics);
      table = std::move(read);
    } else {
      ASSIGN_OR_RETURN(statistics, ModelStatistics(ctx));
      constraints = ml::SuggestModelQualityConstraints(statistics);
    }

    ASSIGN_OR_RETURN(Baseline baseline, ExistingBaseline(ctx, data_quality));
    if (baseline.first_time) {
      skip_check = true;
      register_new = true;
    }
    if (!skip_check && baseline.source == "none") {
      return Status::InvalidArgument("no baseline to check against: give baseline_constraints (and "
                                     "baseline_statistics) or group, or set skip_check: true");
    }

    Json violations = Json{{"violations", Json::array()}};
    if (!skip_check) {
      Result<Json> checked = data_quality
                                 ? data::CheckDataQuality(*table, baseline.statistics, baseline.constraints)
                                 : ml::CheckModelQuality(statistics, baseline.constraints);
      if (!checked.ok()) return checked.status().WithContext("checking against the " + baseline.source + " baseline");
      violations = std::move(*checked);
    }

    // BaselineUsedForDriftCheck: the new baseline when registering it, else the
    // existing one; without either, the calculated one (so the outputs exist).
    const bool use_new = register_new || baseline.source == "none";
    const Json& drift_statistics = use_new || baseline.statistics.is_null() ? statistics : baseline.statistics;
    const Json& drift_constraints = use_new ? constraints : baseline.constraints;
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("statistics"), statistics.dump(2)));
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("constraints"), constraints.dump(2)));
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("violations"), violations.dump(2)));
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("drift_check_statistics"), drift_statistics.dump(2)));
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("drift_check_constraints"), drift_constraints.dump(2)));

    const Json& list = violations["violations"];
    ctx.metadata = {{"check_type", data_quality ? "data_quality" : "model_quality"},
                    {"check_ran", !skip_check},
                    {"register_new_baseline", register_new},
                    {"baseline_source", baseline.source},
                    {"drift_check_baseline", use_new ? "calculated" : baseline.source},
                    {"violation_count", list.size()}};
    if (!baseline.version.empty()) ctx.metadata["baseline_version"] = baseline.version;
    if (!baseline.digests.empty()) ctx.metadata["baseline_digests"] = baseline.digests;
    ctx.log(skip_check ? "check skipped" : "check ran: " + std::to_string(list.size()) + " violation(s)");
    if (list.empty()) return Status::OK();
    ctx.metadata["violations"] = list;
    ctx.effects = {{"quality_violation", ViolationEvent(ctx, data_quality, list.size(), baseline)}};
    ctx.log("constraint_violations.json:\n" + violations.dump(2));
    if (fail_on_violation) {
      ctx.result = StepResult::FailExecution("QualityCheck " + ctx.step->name + " found " +
                                             std::to_string(list.size()) + " violation(s) of the " +
                                             baseline.source + " baseline" +
                                             (baseline.version.empty() ? "" : " (" + baseline.version + ")") + ": " +
                                             ViolationSummary(list) + "; the report is in the step's metadata and log");
    }
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeQualityCheckStep() { return std::make_unique<QualityCheckStep>(); }

}  // namespace grove::pipeline
