#pragma once

#include <ostream>

#include "common/json.h"

namespace grove::cli {

// Prints an evaluation report (ml/evaluation.h's layout) for a terminal: per
// section a table of the metrics with a value, each confusion matrix as a
// grid (rows actual, columns predicted), and each curve as a compact table of
// at most `max_curve_rows` evenly spaced points (first and last included);
// a regression report's residuals as their histogram's bins.
// Members of other shapes are printed as JSON, so nothing is hidden.
void PrintEvaluationReport(std::ostream& out, const Json& report, size_t max_curve_rows = 11);

}  // namespace grove::cli
