#include "events/cron.h"

#include <gtest/gtest.h>

namespace grove::events {
namespace {

// UTC milliseconds of an ISO time, by the inverse of FormatIso8601 for the cases here.
TimeMs At(int y, int mo, int d, int h, int mi) {
  // Days from civil (H. Hinnant).
  y -= mo <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = int64_t{era} * 146097 + static_cast<int64_t>(doe) - 719468;
  return ((days * 24 + h) * 60 + mi) * 60'000;
}

std::string NextAfter(const std::string& schedule, TimeMs after) {
  auto cron = CronSchedule::Parse(schedule);
  EXPECT_TRUE(cron.ok()) << cron.status().ToString();
  if (!cron.ok()) return "";
  auto next = cron->Next(after);
  return next.ok() ? FormatIso8601(*next) : next.status().ToString();
}

TEST(CronTest, EveryFiveMinutesIsStrictlyAfter) {
  EXPECT_EQ(NextAfter("*/5 * * * *", At(2026, 3, 1, 10, 2)), "2026-03-01T10:05:00.000Z");
  // On a fire time exactly, the next one.
  EXPECT_EQ(NextAfter("*/5 * * * *", At(2026, 3, 1, 10, 5)), "2026-03-01T10:10:00.000Z");
  // Seconds into a minute count as after it.
  EXPECT_EQ(NextAfter("*/5 * * * *", At(2026, 3, 1, 10, 4) + 59'999), "2026-03-01T10:05:00.000Z");
  EXPECT_EQ(NextAfter("*/5 * * * *", At(2026, 3, 1, 23, 58)), "2026-03-02T00:00:00.000Z");
}

TEST(CronTest, ListsRangesAndSteps) {
  EXPECT_EQ(NextAfter("15,45 9-17/4 * * *", At(2026, 3, 1, 13, 46)), "2026-03-01T17:15:00.000Z");
  EXPECT_EQ(NextAfter("0 9 * * 1-5", At(2026, 3, 6, 9, 0)), "2026-03-09T09:00:00.000Z");  // Fri -> Mon.
  EXPECT_EQ(NextAfter("10/20 * * * *", At(2026, 3, 1, 0, 31)), "2026-03-01T00:50:00.000Z");
}

TEST(CronTest, NamesOfMonthsAndDays) {
  EXPECT_EQ(NextAfter("0 0 1 jan,Jul *", At(2026, 2, 1, 0, 0)), "2026-07-01T00:00:00.000Z");
  EXPECT_EQ(NextAfter("30 6 * * SUN", At(2026, 3, 2, 0, 0)), "2026-03-08T06:30:00.000Z");
  EXPECT_EQ(NextAfter("30 6 * * 7", At(2026, 3, 2, 0, 0)), "2026-03-08T06:30:00.000Z");  // 7 is Sunday too.
}

TEST(CronTest, LeapDayAndYearEnd) {
  EXPECT_EQ(NextAfter("0 12 29 2 *", At(2026, 3, 1, 0, 0)), "2028-02-29T12:00:00.000Z");
  EXPECT_EQ(NextAfter("59 23 31 12 *", At(2026, 12, 31, 23, 59)), "2027-12-31T23:59:00.000Z");
  EXPECT_EQ(NextAfter("@daily", At(2026, 12, 31, 0, 0)), "2027-01-01T00:00:00.000Z");
}

TEST(CronTest, EitherDayFieldWhenBothAreRestricted) {
  // The 13th or any Friday: 2026-03-06 is a Friday, before the 13th.
  EXPECT_EQ(NextAfter("0 0 13 * 5", At(2026, 3, 1, 0, 0)), "2026-03-06T00:00:00.000Z");
  // Only the day of month when the day of week is *.
  EXPECT_EQ(NextAfter("0 0 13 * *", At(2026, 3, 1, 0, 0)), "2026-03-13T00:00:00.000Z");
}

TEST(CronTest, ImpossibleDateIsNotFound) {
  auto cron = CronSchedule::Parse("0 0 30 2 *");
  ASSERT_TRUE(cron.ok());
  auto next = cron->Next(At(2026, 1, 1, 0, 0));
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), StatusCode::kNotFound);
}

TEST(CronTest, ErrorsNameTheField) {
  auto expect_error = [](const std::string& text, const std::string& part) {
    auto cron = CronSchedule::Parse(text);
    ASSERT_FALSE(cron.ok()) << text;
    EXPECT_NE(cron.status().message().find(part), std::string::npos) << cron.status().message();
  };
  expect_error("* * * *", "expected 5 fields");
  expect_error("60 * * * *", "minute field '60': 60 is outside 0-59");
  expect_error("* 5-2 * * *", "hour field '5-2': range 5-2 runs backwards");
  expect_error("* * 0 * *", "day of month field '0'");
  expect_error("* * * foo *", "month field 'foo': 'foo' is not a number");
  expect_error("*/0 * * * *", "step 0 is outside 1-1000");
  expect_error("1,,2 * * * *", "an empty list item");
}

}  // namespace
}  // namespace grove::events
