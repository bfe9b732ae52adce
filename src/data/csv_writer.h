#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace grove::data {

// Appends one CSV line of numbers: each the shortest text that reads back as the
// same double (AppendNumber), NaN as an empty cell, separated by commas, ending in "\n".
void AppendCsvLine(std::span<const double> values, std::string* out);

// The lines for `rows` of a row-major matrix `width` wide, in the given order.
std::string FormatCsvRows(std::span<const double> matrix, size_t width, std::span<const size_t> rows);

}  // namespace grove::data
