#pragma once

#include <filesystem>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "data/table.h"

namespace grove::data {

// Data quality in SageMaker Model Monitor's layouts (statistics.json,
// constraints.json, constraint_violations.json; see docs/pipeline-format.md,
// QualityCheck). A baseline is ComputeStatistics + SuggestConstraints over one
// table; a check is CheckDataQuality of another table against a baseline.

struct QualityDatasetOptions {
  // The first record names the columns. Without one, columns are named _c0,
  // _c1, ... as Model Monitor names them. Default: true.
  bool header = true;
  // Drop the first column (Grove's label-first splits) and name the rest from
  // _c0 again, so the features are named as in the endpoint's requests.
  bool exclude_label = false;
  // Drop the column with this name (after naming), if not empty.
  std::string label_column;
};

// Reads a CSV file or a folder of *.csv files (CsvReader::AddPath) for a
// quality check. Errors name the file and line.
Result<Table> ReadQualityDataset(const std::filesystem::path& path, const QualityDatasetOptions& options);

// The value kinds of Model Monitor: "Integral" (whole numbers), "Fractional"
// (other finite numbers), "String" (anything else). A column is inferred as
// the widest kind among its present values (String > Fractional > Integral);
// a column without any present value is "String". The kind is decided by the
// value, not its text: "1.0" is Integral (Deequ's textual rule would say Fractional).
std::string InferredType(const Column& column);

// statistics.json: {version, dataset{item_count}, features[...]}, numeric
// features with numerical_statistics (common, mean, sum, std_dev (population),
// min, max, 10 equal-width kll buckets from min to max, the last one closed, and
// the sketch: parameters {c: 0.64, k: 2048} and data [[sorted values]], every
// present value when there are at most 2048, else 2048 evenly spaced order
// statistics), String features with string_statistics (common,
// distinct_count, categorical buckets by value in first-seen order).
Json ComputeStatistics(const Table& table);

// constraints.json suggested from `statistics`: per feature inferred_type,
// completeness, num_constraints.is_non_negative (numeric: min >= 0) and, for
// String features of small cardinality (at most 20 distinct values, or at most
// a tenth of the present values), string_constraints.domains; monitoring_config
// with datatype_check_threshold and domain_content_threshold 1.0 and drift
// comparison_threshold 0.1 ("Robust"), as real baselines have them.
Json SuggestConstraints(const Json& statistics);

// Checks `table` against a baseline and returns constraint_violations.json,
// {"violations": [...]} (empty when all holds). Checks, in feature order:
//   missing_column_check      a baseline feature absent from the table;
//   extra_column_check        a table column absent from the baseline;
//   data_type_check           the share of present values of the baseline's
//                             type (Integral: whole numbers; Fractional: any
//                             number; String: anything) < datatype_check_threshold;
//   completeness_check        the present share < the feature's completeness;
//   baseline_drift_check      the L-infinity distance between the baseline's
//                             and the table's distributions > comparison_threshold:
//                             numbers by their empirical CDFs compared exactly at
//                             every point of both samples (the baseline's sketch
//                             data; its buckets' upper edges when it has none),
//                             strings by their category frequencies
//                             (categorical_comparison_threshold when given);
//   categorical_values_check  the share of present values inside the feature's
//                             domains < domain_content_threshold.
// evaluate_constraints "Disabled" turns every check off; perform_comparison
// "Disabled" the drift check. Errors: a malformed baseline, naming the field.
Result<Json> CheckDataQuality(const Table& table, const Json& baseline_statistics, const Json& baseline_constraints);

// The number of features and of constraints (feature constraints counted one
// per check they enable: type, completeness, non-negativity, domains) of a
// constraints.json or model-quality constraints document, for summaries.
int CountConstraints(const Json& constraints);

}  // namespace grove::data
