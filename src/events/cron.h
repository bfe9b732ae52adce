#pragma once

#include <bitset>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace grove::events {

// A 5-field cron schedule in UTC: minute hour day-of-month month day-of-week.
// Each field is `*` or a comma-separated list of values, ranges `a-b` and
// steps (`*/5`, `a-b/2`, `a/10` = `a-max/10`); months may be JAN..DEC and
// days of week SUN..SAT (0 and 7 are Sunday). As in Vixie cron, when both
// day fields are restricted a day matching either one fires. @hourly,
// @daily, @weekly, @monthly and @yearly are accepted too.
class CronSchedule {
 public:
  // InvalidArgument naming the field and what is accepted.
  static Result<CronSchedule> Parse(const std::string& text);

  // The first fire time strictly after `after` (whole minutes, UTC). NotFound
  // when there is none within 8 years (e.g. "0 0 30 2 *").
  Result<TimeMs> Next(TimeMs after) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1-31.
  std::bitset<13> months_;  // 1-12.
  std::bitset<7> weekdays_; // 0 = Sunday.
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
};

}  // namespace grove::events
