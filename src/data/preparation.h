#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::data {

// The built-in tabular preparation of a Processing step. The arguments are
// described at the top of data/prepare_spec.h.

// What RunPreparation wrote.
struct PrepareSummary {
  std::map<std::string, std::filesystem::path> splits;  // Split name -> headerless label-first CSV.
  std::filesystem::path transform;                      // The fitted transform (JSON).
  size_t rows_read = 0;
  size_t rows_kept = 0;  // After filters.
  std::map<std::string, size_t> split_rows;
  std::vector<std::string> split_names;     // In the order the arguments give them.
  std::vector<std::string> output_columns;  // Label first, as in the split files.
};

// Checks the preparation arguments without reading data. Errors name the
// argument path, e.g. "transforms[1].impute: expected median, mean or {constant: value}".
// Column names are checked too when header is false (the names are then known).
Status ValidatePrepareArguments(const Json& args);

// Reads args["input"], drops columns, filters rows, fits the transforms on all
// kept rows and applies them, shuffles (seeded) and splits, and writes
// output_dir/<split name> (CSV, no header, label first) for every split plus
// output_dir/transform (FittedTransform::ToJson), each atomically. Errors name
// the argument path, or the file, line and column of bad data. Never throws.
Result<PrepareSummary> RunPreparation(const Json& args, const std::filesystem::path& output_dir);

}  // namespace grove::data
