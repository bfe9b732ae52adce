#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::data {


// What RunPreparation wrote.
struct PrepareSummary {
  std::map<std::string, std::filesystem::path> splits;  // Split name -> headerless label-first CSV.
  std::filesystem::path transform;                      // The fitted transform (JSON).
  size_t rows_read = 0;
  size_t rows_kept = 0;                                 // After filters.
  std::map<std::string, size_t> split_rows;
  std::vector<std::string> output_columns;              // Label first.
};

// Checks the preparation arguments without reading data. Errors name the
// argument path, e.g. "transforms[1].impute: expected median, mean or {constant: v}".
Status ValidatePrepareArguments(const Json& args);

// Reads args["input"], fits and applies the transforms, shuffles and splits,
// and writes output_dir/<split name> (CSV, no header, label first) for every
// split plus output_dir/transform (the fitted transform as JSON). Errors name
// the file, line and column of bad data.
Result<PrepareSummary> RunPreparation(const Json& args, const std::filesystem::path& output_dir);

}  // namespace grove::data
