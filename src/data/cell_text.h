#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"

namespace grove::data {

// The one definition of "this cell is a number" shared by the CSV reader, the
// fitted transform and filters, so a value parses the same way at training and
// at prediction time.
//
// Accepts a finite decimal number in C-locale syntax ("3", "-0.5", "+.5",
// "1e-3") with optional surrounding spaces or tabs, and the literals nan/NaN,
// which give NaN (missing at prediction time; preparation refuses them, see
// NonFiniteKind). Rejects the empty string, inf/infinity, overflow to
// infinity, and any trailing characters. Never allocates.
std::optional<double> ParseNumber(std::string_view text);

// "NaN" or "infinite" when `text` is a number in ParseNumber's syntax whose
// value is not finite: nan/NaN, inf/-Infinity (any case, optional sign) or a
// number beyond the double range (1e999); empty otherwise. Data that must be
// finite (preparation input) refuses such cells with this word.
std::string_view NonFiniteKind(std::string_view text);

// Appends the shortest text that reads back as exactly `value` (std::to_chars),
// e.g. 15.0 -> "15", 0.1 -> "0.1". NaN appends nothing (an empty CSV cell).
void AppendNumber(double value, std::string* out);

// AppendNumber into a fresh string.
std::string FormatNumber(double value);

// The text form of a string or number argument: "True." -> "True.", 415 -> "415",
// 0.5 -> "0.5". Other JSON values give their JSON text.
std::string ScalarText(const Json& value);

// The numeric value of a number argument or of a string argument that is a
// number ("415"); nullopt otherwise.
std::optional<double> ScalarNumber(const Json& value);

// True when the text `cell` equals the argument `value`: a string by exact
// text, a number by numeric value (a cell that is not a number equals no number).
bool ScalarMatchesText(const Json& value, std::string_view cell);

}  // namespace grove::data
