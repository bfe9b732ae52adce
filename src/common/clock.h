#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace grove {

// Milliseconds since the Unix epoch, UTC.
using TimeMs = int64_t;

// The source of "now", behind an interface so tests can control time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs Now() const = 0;
};

class SystemClock : public Clock {
 public:
  TimeMs Now() const override;
  static SystemClock* Default();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(TimeMs start = 1'700'000'000'000) : now_(start) {}
  TimeMs Now() const override { return now_.load(); }
  void Advance(TimeMs ms) { now_ += ms; }
  void Set(TimeMs t) { now_ = t; }

 private:
  std::atomic<TimeMs> now_;
};

// "2026-11-22T10:03:04.123Z".
std::string FormatIso8601(TimeMs t);

// Parses an ISO-8601 duration such as "P30D", "PT1H30M", "P1DT12H", "PT0.5S"
// into milliseconds. Years and months are not accepted (their length varies).
Result<TimeMs> ParseIsoDuration(const std::string& text);

}  // namespace grove
