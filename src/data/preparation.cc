#include "data/preparation.h"

#include <algorithm>

#include "common/file_util.h"
#include "data/csv_reader.h"
#include "data/csv_writer.h"
#include "data/fitted_transform.h"
#include "data/prepare_spec.h"
#include "data/row_filter.h"
#include "data/split.h"
#include "data/table_transform.h"

namespace grove::data {

namespace fs = std::filesystem;

namespace {

Result<Table> ReadInput(const PrepareSpec& spec) {
  Result<Table> table = ReadCsv(spec.input, CsvOptionsFor(spec));
  if (!table.ok() && table.status().code() != StatusCode::kInvalidArgument) {
    return table.status().WithContext("input");
  }
  return table;
}

std::vector<std::string> ColumnNames(const Table& table) {
  std::vector<std::string> names;
  for (const Column& column : table.columns()) names.push_back(column.name);
  return names;
}

// Removes the `drop` columns, remembering where they were among the columns
// other than the label (the layout of a raw row for FittedTransform).
std::vector<DroppedColumn> DropColumns(const PrepareSpec& spec, Table* table) {
  std::vector<DroppedColumn> dropped;
  size_t position = 0;
  for (const Column& column : table->columns()) {
    if (column.name == spec.label.column) continue;
    if (std::find(spec.drop.begin(), spec.drop.end(), column.name) != spec.drop.end()) {
      dropped.push_back({column.name, position});
    }
    ++position;
  }
  for (const DroppedColumn& column : dropped) table->RemoveColumn(*table->FindColumn(column.name));
  return dropped;
}

Status FilterRows(const PrepareSpec& spec, Table* table) {
  const size_t rows_read = table->num_rows();
  ASSIGN_OR_RETURN(std::vector<bool> keep, MatchFilters(*table, spec.filters));
  table->KeepRows(keep);
  if (table->num_rows() > 0) return Status::OK();
  if (spec.filters.empty()) return Status::InvalidArgument("input: " + spec.input.string() + " has no data rows");
  return Status::InvalidArgument("filter: no row matches (of " + std::to_string(rows_read) + " rows read)");
}

Result<std::vector<std::vector<size_t>>> SplitMatrix(const PrepareSpec& spec, const LabeledMatrix& matrix) {
  std::vector<double> fractions;
  for (const SplitPart& part : spec.split.parts) fractions.push_back(part.fraction);
  std::vector<std::vector<size_t>> splits;
  if (spec.split.stratify) {
    std::vector<double> classes(matrix.rows);
    for (size_t r = 0; r < matrix.rows; ++r) classes[r] = matrix.row(r)[0];
    splits = StratifiedSplitRows(classes, fractions, spec.split.seed);
  } else {
    splits = SplitRows(matrix.rows, fractions, spec.shuffle, spec.split.seed);
  }
  for (size_t k = 0; k < splits.size(); ++k) {
    if (splits[k].empty()) {
      return Status::InvalidArgument("split." + spec.split.parts[k].name + ": " + std::to_string(matrix.rows) +
                                     " rows leave this split empty; use more rows or a larger fraction");
    }
  }
  return splits;
}

Status WriteOutputs(const PrepareSpec& spec, const FittedTransform& transform, const LabeledMatrix& matrix,
                    const std::vector<std::vector<size_t>>& splits, const fs::path& output_dir,
                    PrepareSummary* summary) {
  RETURN_IF_ERROR(MakeDirs(output_dir));
  for (size_t k = 0; k < splits.size(); ++k) {
    const std::string& name = spec.split.parts[k].name;
    const fs::path path = output_dir / name;
    RETURN_IF_ERROR(WriteFile(path, FormatCsvRows(matrix.values, matrix.width, splits[k])));
    summary->splits[name] = path;
    summary->split_rows[name] = splits[k].size();
    summary->split_names.push_back(name);
  }
  summary->transform = output_dir / "transform";
  // Replace invalid UTF-8 (a Latin-1 category, say) rather than let dump() throw.
  const std::string json = transform.ToJson().dump(2, ' ', false, Json::error_handler_t::replace);
  return WriteFile(summary->transform, json + "\n");
}

}  // namespace

Status ValidatePrepareArguments(const Json& args) {
  ASSIGN_OR_RETURN(PrepareSpec spec, ParsePrepareSpec(args));
  if (!spec.header) return CheckColumnReferences(spec, spec.columns);
  return Status::OK();
}

Result<PrepareSummary> RunPreparation(const Json& args, const fs::path& output_dir) {
  ASSIGN_OR_RETURN(PrepareSpec spec, ParsePrepareSpec(args));
  ASSIGN_OR_RETURN(Table table, ReadInput(spec));
  RETURN_IF_ERROR(CheckColumnReferences(spec, ColumnNames(table)));
  PrepareSummary summary;
  summary.rows_read = table.num_rows();
  std::vector<DroppedColumn> dropped = DropColumns(spec, &table);
  RETURN_IF_ERROR(FilterRows(spec, &table));
  summary.rows_kept = table.num_rows();
  // Fitted on every kept row before splitting, as the reference pipelines do
  // (their imputers and scalers see the validation and test rows too).
  ASSIGN_OR_RETURN(FittedTransform transform, FitTransform(spec, std::move(dropped), &table));
  ASSIGN_OR_RETURN(LabeledMatrix matrix, ApplyTransform(transform, &table));
  ASSIGN_OR_RETURN(std::vector<std::vector<size_t>> splits, SplitMatrix(spec, matrix));
  RETURN_IF_ERROR(WriteOutputs(spec, transform, matrix, splits, output_dir, &summary));
  summary.output_columns.push_back(spec.label.column);
  for (const std::string& name : transform.feature_names()) summary.output_columns.push_back(name);
  return summary;
}

}  // namespace grove::data
