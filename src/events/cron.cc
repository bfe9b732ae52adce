#include "events/cron.h"

#include <array>
#include <vector>

#include "common/ascii.h"

namespace grove::events {

namespace {

struct FieldRule {
  const char* name;
  int min;
  int max;
  const char* const* names;  // Names of min, min+1, ...; null when none.
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

constexpr std::array<FieldRule, 5> kFields = {{
    {"minute", 0, 59, nullptr},
    {"hour", 0, 23, nullptr},
    {"day of month", 1, 31, nullptr},
    {"month", 1, 12, kMonthNames},
    {"day of week", 0, 7, kDayNames},
}};

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

Result<int> Value(const FieldRule& rule, const std::string& text, const std::string& where) {
  if (rule.names != nullptr) {
    const std::string lower = AsciiLowercase(text);
    int count = rule.max - rule.min + (rule.max == 7 ? 0 : 1);
    for (int i = 0; i < count; ++i) {
      if (lower == rule.names[i]) return rule.min + i;
    }
  }
  bool digits = !text.empty() && text.size() <= 4;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  if (!digits) return Status::InvalidArgument(where + "'" + text + "' is not a number");
  int v = std::stoi(text);
  if (v < rule.min || v > rule.max) {
    return Status::InvalidArgument(where + text + " is outside " + std::to_string(rule.min) + "-" +
                                   std::to_string(rule.max));
  }
  return v;
}

// Sets the bits of one field's values (bit index = value).
Status ParseField(const FieldRule& rule, const std::string& text, std::vector<bool>* bits) {
  const std::string where = std::string(rule.name) + " field '" + text + "': ";
  bits->assign(rule.max + 1, false);
  for (const std::string& item : Split(text, ',')) {
    if (item.empty()) return Status::InvalidArgument(where + "an empty list item");
    std::vector<std::string> stepped = Split(item, '/');
    if (stepped.size() > 2) return Status::InvalidArgument(where + "more than one '/' in '" + item + "'");
    int step = 1;
    if (stepped.size() == 2) {
      FieldRule step_rule{rule.name, 1, 1000, nullptr};
      ASSIGN_OR_RETURN(step, Value(step_rule, stepped[1], where + "step "));
    }
    int lo = rule.min, hi = rule.max;
    if (stepped[0] != "*") {
      std::vector<std::string> range = Split(stepped[0], '-');
      if (range.size() > 2) return Status::InvalidArgument(where + "more than one '-' in '" + item + "'");
      ASSIGN_OR_RETURN(lo, Value(rule, range[0], where));
      hi = lo;
      if (range.size() == 2) {
        ASSIGN_OR_RETURN(hi, Value(rule, range[1], where));
      } else if (stepped.size() == 2) {
        hi = rule.max;
      }
      if (hi < lo) return Status::InvalidArgument(where + "range " + stepped[0] + " runs backwards");
    }
    for (int v = lo; v <= hi; v += step) (*bits)[v] = true;
  }
  return Status::OK();
}

// Days since 1970-01-01 -> year, month (1-12), day (1-31) (H. Hinnant's civil_from_days).
void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2 ? 1 : 0));
}

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMinutes = 24 * 60;

}  // namespace

Result<CronSchedule> CronSchedule::Parse(const std::string& text) {
  static const std::vector<std::pair<std::string, std::string>> kMacros = {
      {"@hourly", "0 * * * *"}, {"@daily", "0 0 * * *"}, {"@midnight", "0 0 * * *"},
      {"@weekly", "0 0 * * 0"}, {"@monthly", "0 0 1 * *"}, {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}};
  std::string expanded = text;
  for (const auto& [macro, fields] : kMacros) {
    if (text == macro) expanded = fields;
  }
  std::vector<std::string> fields;
  for (const std::string& f : Split(expanded, ' ')) {
    if (!f.empty()) fields.push_back(f);
  }
  if (fields.size() != 5) {
    return Status::InvalidArgument("schedule '" + text + "': expected 5 fields (minute hour day-of-month month " +
                                   "day-of-week, UTC), e.g. \"*/5 * * * *\"; got " + std::to_string(fields.size()));
  }
  CronSchedule cron;
  cron.text_ = text;
  std::array<std::vector<bool>, 5> bits;
  for (size_t i = 0; i < 5; ++i) {
    Status s = ParseField(kFields[i], fields[i], &bits[i]);
    if (!s.ok()) return s.WithContext("schedule '" + text + "'");
  }
  for (int v = 0; v < 60; ++v) cron.minutes_[v] = bits[0][v];
  for (int v = 0; v < 24; ++v) cron.hours_[v] = bits[1][v];
  for (int v = 1; v <= 31; ++v) cron.days_[v] = bits[2][v];
  for (int v = 1; v <= 12; ++v) cron.months_[v] = bits[3][v];
  for (int v = 0; v <= 7; ++v) {
    if (bits[4][v]) cron.weekdays_[v % 7] = true;
  }
  cron.days_restricted_ = fields[2].front() != '*';
  cron.weekdays_restricted_ = fields[4].front() != '*';
  return cron;
}

Result<TimeMs> CronSchedule::Next(TimeMs after) const {
  // The first whole minute strictly after `after`.
  int64_t minute = (after >= 0 ? after / kMinuteMs : (after - kMinuteMs + 1) / kMinuteMs) + 1;
  int64_t day = minute >= 0 ? minute / kDayMinutes : (minute - kDayMinutes + 1) / kDayMinutes;
  int start = static_cast<int>(minute - day * kDayMinutes);
  for (int64_t d = day; d < day + 8 * 366; ++d, start = 0) {
    int y, m, dom;
    CivilFromDays(d, &y, &m, &dom);
    if (!months_[m]) continue;
    const int weekday = static_cast<int>(((d % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4).
    const bool dom_ok = days_[dom], dow_ok = weekdays_[weekday];
    bool day_ok = days_restricted_ && weekdays_restricted_ ? (dom_ok || dow_ok)
                  : days_restricted_                       ? dom_ok
                  : weekdays_restricted_                   ? dow_ok
                                                           : true;
    if (!day_ok) continue;
    for (int h = start / 60; h < 24; ++h) {
      if (!hours_[h]) continue;
      for (int mi = (h == start / 60 ? start % 60 : 0); mi < 60; ++mi) {
        if (minutes_[mi]) return (d * kDayMinutes + h * 60 + mi) * kMinuteMs;
      }
    }
  }
  return Status::NotFound("schedule '" + text_ + "' never fires within 8 years after " + FormatIso8601(after));
}

}  // namespace grove::events
