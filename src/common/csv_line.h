#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace grove {

// The cells of one CSV line: fields split on commas; a field that starts
// with '"' is quoted ("" inside is a quote, text after the closing quote is
// kept). A quote elsewhere is kept literally, as in the reference's inference
// headers (` "Int'l Plan_no"`). False when a quoted field is not closed.
bool SplitCsvLine(std::string_view line, std::vector<std::string>* cells);

}  // namespace grove
