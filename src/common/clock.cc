#include "common/clock.h"

#include <chrono>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace grove {

TimeMs SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

SystemClock* SystemClock::Default() {
  static SystemClock clock;
  return &clock;
}

std::string FormatIso8601(TimeMs t) {
  std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(t % 1000));
  return buf;
}

Result<TimeMs> ParseIsoDuration(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid ISO-8601 duration '" + text + "': " + why +
                                   " (expected e.g. P30D, PT12H, P1DT30M)");
  };
  if (text.size() < 2 || text[0] != 'P') return bad("must start with 'P'");
  double total_ms = 0;
  bool in_time = false;
  bool any = false;
  size_t i = 1;
  while (i < text.size()) {
    if (text[i] == 'T') {
      if (in_time) return bad("'T' given twice");
      in_time = true;
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (start == i || i == text.size()) return bad("expected a number followed by a unit");
    std::string number = text.substr(start, i - start);
    double value = 0;
    size_t used = 0;
    try {
      value = std::stod(number, &used);
    } catch (const std::exception&) {
    }
    if (used != number.size()) return bad("'" + number + "' is not a number");  // E.g. "1.2.3".
    char unit = text[i++];
    double unit_ms = 0;
    if (!in_time && unit == 'D') unit_ms = 86'400'000.0;
    else if (!in_time && unit == 'W') unit_ms = 7 * 86'400'000.0;
    else if (in_time && unit == 'H') unit_ms = 3'600'000.0;
    else if (in_time && unit == 'M') unit_ms = 60'000.0;
    else if (in_time && unit == 'S') unit_ms = 1000.0;
    else if (!in_time && (unit == 'Y' || unit == 'M')) return bad("years and months are not supported; use days");
    else return bad(std::string("unknown unit '") + unit + "'");
    total_ms += value * unit_ms;
    any = true;
  }
  if (!any) return bad("no amount given");
  if (text.back() == 'T') return bad("no amount after 'T'");
  return static_cast<TimeMs>(total_ms);
}

}  // namespace grove
