#include "cli/output.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace grove::cli {

int ReportError(const Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kPermissionDenied: return kExitBadInput;
    case StatusCode::kCancelled: return kExitFailed;
    default: return kExitInternal;
  }
}

void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  };
  measure(header);
  for (const auto& r : rows) measure(r);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  };
  print(header);
  for (const auto& r : rows) print(r);
}

std::string FormatDuration(TimeMs start, TimeMs end) {
  if (start <= 0 || end <= 0) return "-";
  return FormatDuration(Json(end - start));
}

std::string FormatDuration(const Json& duration_ms) {
  if (!duration_ms.is_number()) return "-";
  TimeMs ms = duration_ms.get<TimeMs>();
  char buf[64];
  if (ms < 1000) std::snprintf(buf, sizeof(buf), "%lld ms", static_cast<long long>(ms));
  else if (ms < 60'000) std::snprintf(buf, sizeof(buf), "%.2f s", ms / 1000.0);
  else std::snprintf(buf, sizeof(buf), "%lld min %lld s", static_cast<long long>(ms / 60'000),
                     static_cast<long long>((ms % 60'000) / 1000));
  return buf;
}

std::string FormatTime(TimeMs t) {
  if (t <= 0) return "-";
  std::string iso = FormatIso8601(t);
  return iso.substr(0, 10) + " " + iso.substr(11, 8);
}

std::string FormatTime(const Json& iso) {
  if (!iso.is_string() || iso.get<std::string>().size() < 19) return "-";
  std::string text = iso.get<std::string>();
  return text.substr(0, 10) + " " + text.substr(11, 8);
}

void PrintJson(std::ostream& out, const Json& value) { out << value.dump(2) << "\n"; }

}  // namespace grove::cli
