#pragma once

#include <vector>

#include "common/status.h"
#include "data/prepare_spec.h"
#include "data/table.h"

namespace grove::data {

// Which rows of `table` match every filter (see prepare_spec.h): one flag per
// row. A missing cell equals no value. Comparing a numeric column with a value
// that is not a number is an error naming the argument:
// "filter[0].equals: column 'x' is numeric, but 'abc' is not a number".
// REQUIRES: every filter column exists.
Result<std::vector<bool>> MatchFilters(const Table& table, const std::vector<FilterSpec>& filters);

}  // namespace grove::data
