#include "data/row_filter.h"

#include <algorithm>
#include <cmath>

#include "data/cell_text.h"

namespace grove::data {

namespace {

const char* OpName(FilterOp op) {
  switch (op) {
    case FilterOp::kEquals: return "equals";
    case FilterOp::kNotEquals: return "not_equals";
    case FilterOp::kIn: return "in";
  }
  return "?";
}

// True for the rows whose cell equals one of the filter's values.
Result<std::vector<bool>> MatchValues(const Table& table, const FilterSpec& filter, const std::string& path) {
  const Column& column = table.column(*table.FindColumn(filter.column));
  std::vector<bool> match(table.num_rows(), false);
  if (column.kind == ColumnKind::kText) {
    for (size_t r = 0; r < match.size(); ++r) {
      const std::string& cell = column.texts[r];
      match[r] = !cell.empty() && std::any_of(filter.values.begin(), filter.values.end(),
                                              [&](const Json& v) { return ScalarMatchesText(v, cell); });
    }
    return match;
  }
  std::vector<double> numbers;
  for (const Json& value : filter.values) {
    std::optional<double> number = ScalarNumber(value);
    if (!number) {
      return Status::InvalidArgument(path + ": column '" + filter.column + "' is numeric, but '" + ScalarText(value) +
                                     "' is not a number");
    }
    numbers.push_back(*number);
  }
  for (size_t r = 0; r < match.size(); ++r) {
    match[r] = std::find(numbers.begin(), numbers.end(), column.numbers[r]) != numbers.end();
  }
  return match;
}

}  // namespace

Result<std::vector<bool>> MatchFilters(const Table& table, const std::vector<FilterSpec>& filters) {
  std::vector<bool> keep(table.num_rows(), true);
  for (size_t i = 0; i < filters.size(); ++i) {
    const FilterSpec& filter = filters[i];
    const std::string path = "filter[" + std::to_string(i) + "]." + OpName(filter.op);
    ASSIGN_OR_RETURN(std::vector<bool> match, MatchValues(table, filter, path));
    const bool keep_matches = filter.op != FilterOp::kNotEquals;
    for (size_t r = 0; r < keep.size(); ++r) keep[r] = keep[r] && match[r] == keep_matches;
  }
  return keep;
}

}  // namespace grove::data
