#include <algorithm>
#include <filesystem>
#include <set>

#include "common/file_util.h"
#include "data/csv_partition.h"
#include "pipeline/expansion.h"
#include "pipeline/item_template.h"
#include "pipeline/step_inputs.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "store/artifact_store.h"

namespace grove::pipeline {

namespace {

namespace fs = std::filesystem;

// A placeholder for ${item.data} when the template is checked before any item exists.
const std::string kSampleData = ArtifactRef(std::string(64, '0'));

// Set while a ForEach checks its template, which validates a definition that
// holds the ForEach itself again.
thread_local int checking_template = 0;

// The names in a list or a comma-separated string, trimmed, empty ones dropped.
std::vector<std::string> NameList(const Json& value) {
  std::vector<std::string> out;
  auto add = [&out](std::string text) {
    size_t b = text.find_first_not_of(" \t");
    size_t e = text.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(text.substr(b, e - b + 1));
  };
  if (value.is_array()) {
    for (const Json& v : value) add(v.is_string() ? v.get<std::string>() : v.dump());
  } else if (value.is_string()) {
    std::string text = value.get<std::string>();
    for (size_t start = 0; start <= text.size();) {
      size_t comma = std::min(text.find(',', start), text.size());
      add(text.substr(start, comma - start));
      start = comma + 1;
    }
  } else if (!value.is_null()) {
    add(value.dump());
  }
  return out;
}

// Runs a sub-graph, the template `steps`, once per item (seed 004: one model
// per dimension). Items are, by argument:
//   items: [a, b] or "a,b"       a list (e.g. a String parameter of names);
//   input + column               the distinct values of a column of a CSV
//                                file with a header; ${item.data} is that
//                                value's rows (header included), so an item's
//                                steps see only its data and cache by it;
//   input (a folder)             its sub-folders; ${item.data} is the sub-folder.
// `only` (names, or empty for all) keeps some items: a trigger passes one
// dimension. Items run in parallel under the execution's limit, their steps
// named <step>[<item>]. One failing item does not stop the others unless
// `fail_fast`; the ForEach then fails, naming the items that failed. Output
// `items` (a property file): {"items": [...], "count": n}.
class ForEachStep : public StepType {
 public:
  explicit ForEachStep(const StepTypeRegistry* types) : types_(types) {}

  std::string_view Name() const override { return "ForEach"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"items"}; }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return "items"; }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"input"}; }

  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"items", ArgType::kAny},          {"input", ArgType::kPath},
            {"column", ArgType::kString},      {"only", ArgType::kAny},
            {"fail_fast", ArgType::kBoolean},  {"steps", ArgType::kTemplate}};
  }

  Status Validate(const StepDef& step, const Definition& def) const override {
    RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"steps"}, {"items", "input", "column", "only", "fail_fast"}));
    const bool items = step.arguments.contains("items");
    const bool input = step.arguments.contains("input");
    if (items == input) {
      return def.ErrorAt(ArgumentField(step, items ? "input" : "steps"),
                         "give the items as exactly one of: items (a list), input with column (a CSV column's "
                         "values) or input (a folder's sub-folders)");
    }
    if (step.arguments.contains("column") && !input) {
      return def.ErrorAt(ArgumentField(step, "column"), "column needs input (the CSV file whose column it is)");
    }
    const Json literal_items = LiteralView(step.arguments.value("items", Json()));
    if (items && !literal_items.is_array() && !literal_items.is_string()) {
      return def.ErrorAt(ArgumentField(step, "items"), "expected a list or a comma-separated string, got " +
                                                           literal_items.dump());
    }
    if (checking_template > 0) return Status::OK();
    // Check the template as the steps of a sample item, so its mistakes show before anything runs.
    ++checking_template;
    Status checked = CheckTemplate(step, def, input, Types());
    --checking_template;
    return checked;
  }

  Status Run(StepContext& ctx) const override {
    const Json& args = ctx.arguments;
    const std::string input = ArgumentText(args, "input");
    const std::string column = ArgumentText(args, "column");
    std::vector<std::string> items;
    std::map<std::string, std::string> rows;  // Item -> its rows, for a column's values.
    if (args.contains("items")) {
      for (const std::string& item : NameList(args["items"])) {
        if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
      }
    } else if (!column.empty()) {
      ASSIGN_OR_RETURN(std::string text, ReadFile(input));
      ASSIGN_OR_RETURN(rows, data::PartitionCsvByColumn(text, column, input));
      for (const auto& [item, part] : rows) items.push_back(item);
    } else {
      if (!fs::is_directory(input)) {
        return Status::InvalidArgument("input " + input + " is not a folder (give column to use a CSV file's values)");
      }
      for (const auto& entry : fs::directory_iterator(input)) {
        if (entry.is_directory()) items.push_back(entry.path().filename().string());
      }
      std::sort(items.begin(), items.end());
    }
    RETURN_IF_ERROR(KeepOnly(args, items));
    if (items.empty()) return Status::InvalidArgument("no items to run (input " + input + " holds none)");

    std::vector<StepDef> added;
    for (const std::string& item : items) {
      std::string item_data;  // ${item.data}: the item's rows or folder, as an artifact.
      if (!column.empty()) {
        ASSIGN_OR_RETURN(item_data, Store(ctx, [&] { return ctx.artifacts->PutBytes(rows[item]); }));
      } else if (!input.empty()) {
        ASSIGN_OR_RETURN(item_data, Store(ctx, [&] { return ctx.artifacts->Put(fs::path(input) / item); }));
      }
      ASSIGN_OR_RETURN(std::vector<StepDef> steps,
                       InstantiateTemplate(args.at("steps"), ArgumentField(*ctx.step, "steps"), {item, item_data},
                                           Types()));
      for (StepDef& s : steps) added.push_back(std::move(s));
    }
    Json listed = {{"items", items}, {"count", items.size()}};
    RETURN_IF_ERROR(WriteFileAtomic(ctx.OutputPath("items"), listed.dump(2) + "\n"));
    ctx.log("for each of " + std::to_string(items.size()) + " items: " + std::to_string(added.size()) + " steps");
    ctx.metadata["items"] = items.size();
    ctx.result = StepResult::Expansion(std::move(added), !(args.value("fail_fast", false) == true));
    return Status::OK();
  }

 private:
  const StepTypeRegistry& Types() const { return types_ != nullptr ? *types_ : StepTypeRegistry::BuiltIn(); }

  static Status CheckTemplate(const StepDef& step, const Definition& def, bool has_data,
                              const StepTypeRegistry& types) {
    auto sample = InstantiateTemplate(step.arguments.at("steps"), ArgumentField(step, "steps"),
                                      {"item", has_data ? kSampleData : ""}, types);
    if (!sample.ok()) return def.ErrorAt(ArgumentField(step, "steps"), sample.status().message());
    auto checked = CheckExpansion(def, step.name, *sample, types);
    if (!checked.ok()) {
      return def.ErrorAt(ArgumentField(step, "steps"), "as the steps of an item named 'item': " +
                                                           checked.status().message());
    }
    return Status::OK();
  }

  // Drops the items that `only` does not name; naming one that is not there is an error.
  static Status KeepOnly(const Json& args, std::vector<std::string>& items) {
    std::vector<std::string> only = NameList(args.value("only", Json()));
    if (only.empty()) return Status::OK();
    for (const std::string& name : only) {
      if (std::find(items.begin(), items.end(), name) == items.end()) {
        std::string known;
        for (size_t i = 0; i < items.size() && i < 20; ++i) known += (i ? ", " : "") + items[i];
        if (items.size() > 20) known += ", ...";
        return Status::InvalidArgument("only: '" + name + "' is not an item (items: " + known + ")");
      }
    }
    std::vector<std::string> kept;
    for (const std::string& item : items) {
      if (std::find(only.begin(), only.end(), item) != only.end()) kept.push_back(item);
    }
    items = std::move(kept);
    return Status::OK();
  }

  // Stores an item's data as an artifact with `put`; returns the reference ${item.data} becomes.
  template <typename Put>
  static Result<std::string> Store(StepContext& ctx, Put put) {
    if (ctx.artifacts == nullptr) return Status::Internal("no artifact store to keep the items' data in");
    ASSIGN_OR_RETURN(store::ArtifactRecord record, put());
    return ArtifactRef(record.digest);
  }

  const StepTypeRegistry* types_;  // The types of the template's steps; null: the built-in ones.
};

}  // namespace

std::unique_ptr<StepType> MakeForEachStep(const StepTypeRegistry* types) { return std::make_unique<ForEachStep>(types); }

}  // namespace grove::pipeline
