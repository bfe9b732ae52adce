#include "cli/report_text.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "cli/output.h"

namespace grove::cli {

namespace {

std::string Number(const Json& v) {
  if (!v.is_number()) return v.is_string() && v.get<std::string>() == "NaN" ? "-" : v.dump();
  if (v.is_number_integer()) return v.dump();
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g", v.get<double>());
  return buf;
}

// Every member an array of the same length (a curve: one column per member).
bool IsCurve(const Json& m) {
  if (!m.is_object() || m.empty()) return false;
  size_t n = m.begin()->is_array() ? m.begin()->size() : 0;
  for (const auto& [name, column] : m.items()) {
    if (!column.is_array() || column.size() != n) return false;
  }
  return n > 0;
}

// Every member an object (a matrix: rows by columns).
bool IsMatrix(const Json& m) {
  if (!m.is_object() || m.empty()) return false;
  for (const auto& [name, row] : m.items()) {
    if (!row.is_object()) return false;
  }
  return true;
}

void Indented(std::ostream& out, const std::vector<std::string>& header,
              const std::vector<std::vector<std::string>>& rows, const std::string& indent = "    ") {
  std::ostringstream table;
  PrintTable(table, header, rows);
  std::istringstream lines(table.str());
  for (std::string line; std::getline(lines, line);) out << indent << line << "\n";
}

void PrintMatrix(std::ostream& out, const std::string& name, const Json& m) {
  out << "  " << name << " (rows: actual, columns: predicted)\n";
  std::vector<std::string> header = {""};
  for (const auto& [col, v] : m.begin()->items()) header.push_back("predicted " + col);
  std::vector<std::vector<std::string>> rows;
  for (const auto& [row, cells] : m.items()) {
    std::vector<std::string> line = {"actual " + row};
    for (const auto& [col, v] : cells.items()) line.push_back(Number(v));
    rows.push_back(std::move(line));
  }
  Indented(out, header, rows);
}

void PrintCurve(std::ostream& out, const std::string& name, const Json& m, size_t max_rows) {
  size_t n = m.begin()->size();
  size_t shown = std::min(n, std::max<size_t>(max_rows, 2));
  out << "  " << name << " (" << n << " points" << (shown < n ? ", " + std::to_string(shown) + " shown" : "")
      << ")\n";
  std::vector<std::string> header;
  for (const auto& [column, values] : m.items()) header.push_back(column);
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < shown; ++i) {
    size_t at = shown == 1 ? 0 : i * (n - 1) / (shown - 1);
    std::vector<std::string> line;
    for (const auto& [column, values] : m.items()) line.push_back(Number(values[at]));
    rows.push_back(std::move(line));
  }
  Indented(out, header, rows);
}

void PrintSection(std::ostream& out, const std::string& section, const Json& metrics, size_t max_curve_rows) {
  out << section << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, m] : metrics.items()) {
    if (m.is_object() && m.contains("value")) {
      rows.push_back({name, Number(m["value"]), Number(m.value("standard_deviation", Json()))});
    }
  }
  if (!rows.empty()) Indented(out, {"METRIC", "VALUE", "STD DEV"}, rows, "  ");
  for (const auto& [name, m] : metrics.items()) {
    if (m.is_object() && m.contains("value")) continue;
    if (IsMatrix(m)) {
      PrintMatrix(out, name, m);
    } else if (IsCurve(m)) {
      PrintCurve(out, name, m, max_curve_rows);
    } else {
      out << "  " << name << ": " << m.dump() << "\n";
    }
  }
}

// A regression report's residuals: the histogram as a table of bins; the
// points (for a scatter plot) only counted, --json has them.
void PrintResiduals(std::ostream& out, const Json& residuals) {
  const Json& edges = residuals["histogram"].value("edges", Json::array());
  const Json& counts = residuals["histogram"].value("counts", Json::array());
  out << "residuals (label - prediction; " << residuals.value("points", Json::array()).size()
      << " points in --json)\n";
  std::vector<std::vector<std::string>> rows;
  for (size_t b = 0; b < counts.size() && b + 1 < edges.size(); ++b) {
    rows.push_back({Number(edges[b]), Number(edges[b + 1]), Number(counts[b])});
  }
  Indented(out, {"FROM", "TO", "COUNT"}, rows, "  ");
}

bool IsResiduals(const std::string& section, const Json& value) {
  return section == "residuals" && value.is_object() && value.contains("histogram") &&
         value["histogram"].is_object();
}

}  // namespace

void PrintEvaluationReport(std::ostream& out, const Json& report, size_t max_curve_rows) {
  for (const auto& [section, metrics] : report.items()) {
    if (section == "register_metric" && metrics.is_object() && metrics.contains("value")) {
      out << "register metric: " << Number(metrics["value"]) << "\n";
    } else if (IsResiduals(section, metrics)) {
      PrintResiduals(out, metrics);
    } else if (metrics.is_object()) {
      PrintSection(out, section, metrics, max_curve_rows);
    } else {
      out << section << ": " << metrics.dump() << "\n";
    }
  }
}

}  // namespace grove::cli
