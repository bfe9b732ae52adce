#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace grove::data {

// Splits CSV text with a header row by the values of one column: value ->
// the header and that value's rows, byte for byte, each line ending in "\n"
// (a "\r" before it is dropped, so CRLF and LF files split alike). Quoted
// fields may hold separators, quotes ("") and line breaks. The same rows give
// the same text whichever file they came from, so a ForEach item's data has
// one digest. Errors name `source`, the line and the column.
Result<std::map<std::string, std::string>> PartitionCsvByColumn(std::string_view text, const std::string& column,
                                                                const std::string& source);

}  // namespace grove::data
