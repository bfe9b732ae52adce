#include "common/clock.h"

#include <gtest/gtest.h>

#include <ctime>
#include <iomanip>
#include <sstream>

namespace grove {
namespace {

// Parses FormatIso8601's text back with the C library, independently of it.
TimeMs ParseIso8601ForTest(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  EXPECT_FALSE(in.fail()) << text;
  char dot = 0, zone = 0;
  int millis = -1;
  in >> dot >> millis >> zone;
  EXPECT_EQ(dot, '.') << text;
  EXPECT_EQ(zone, 'Z') << text;
  return static_cast<TimeMs>(timegm(&tm)) * 1000 + millis;
}

TEST(ClockTest, FormatIso8601KnownInstants) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatIso8601(951'782'400'005), "2000-02-29T00:00:00.005Z");  // Leap day.
  EXPECT_EQ(FormatIso8601(4'102'444'799'999), "2099-12-31T23:59:59.999Z");
}

TEST(ClockTest, FormatIso8601RoundTripsToTheMillisecond) {
  uint64_t state = 0;
  for (int i = 0; i < 1000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    TimeMs t = static_cast<TimeMs>(state >> 22);  // 42 bits: up to the year 2109.
    std::string text = FormatIso8601(t);
    ASSERT_EQ(text.size(), 24u) << text;
    ASSERT_EQ(ParseIso8601ForTest(text), t) << text;
  }
}

TEST(ClockTest, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(1000);
  EXPECT_EQ(clock.Now(), 1000);
  EXPECT_EQ(clock.Now(), 1000);
  clock.Advance(250);
  EXPECT_EQ(clock.Now(), 1250);
  clock.Set(5);
  EXPECT_EQ(clock.Now(), 5);
}

TEST(ClockTest, SystemClockIsNearTheCLibrarysTime) {
  TimeMs now = SystemClock::Default()->Now();
  TimeMs c_now = static_cast<TimeMs>(std::time(nullptr)) * 1000;
  EXPECT_LT(std::abs(now - c_now), 5'000);
  EXPECT_EQ(SystemClock::Default(), SystemClock::Default());
}

TEST(ClockTest, IsoDurationsInMilliseconds) {
  EXPECT_EQ(*ParseIsoDuration("P30D"), 30LL * 86'400'000);
  EXPECT_EQ(*ParseIsoDuration("P2W"), 14LL * 86'400'000);
  EXPECT_EQ(*ParseIsoDuration("PT12H"), 12LL * 3'600'000);
  EXPECT_EQ(*ParseIsoDuration("PT1H30M"), 90LL * 60'000);
  EXPECT_EQ(*ParseIsoDuration("P1DT12H"), 36LL * 3'600'000);
  EXPECT_EQ(*ParseIsoDuration("PT0.5S"), 500);
  EXPECT_EQ(*ParseIsoDuration("PT90S"), 90'000);
  EXPECT_EQ(*ParseIsoDuration("P1DT30M"), 86'400'000 + 30 * 60'000);
}

TEST(ClockTest, BadIsoDurationsSayWhy) {
  auto why = [](const std::string& text) {
    auto r = ParseIsoDuration(text);
    EXPECT_FALSE(r.ok()) << text << " was accepted as " << (r.ok() ? *r : 0);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << text;
    return r.status().message();
  };
  EXPECT_NE(why("30D").find("must start with 'P'"), std::string::npos);
  EXPECT_NE(why("P").find("must start with 'P'"), std::string::npos);
  EXPECT_NE(why("PT").find("no amount given"), std::string::npos);
  EXPECT_NE(why("P1Y").find("years and months are not supported"), std::string::npos);
  EXPECT_NE(why("P1M").find("years and months are not supported"), std::string::npos);
  EXPECT_NE(why("P1H").find("unknown unit 'H'"), std::string::npos);  // Hours need the T.
  EXPECT_NE(why("PT1D").find("unknown unit 'D'"), std::string::npos);
  EXPECT_NE(why("PT1HT1M").find("'T' given twice"), std::string::npos);
  EXPECT_NE(why("PD").find("expected a number"), std::string::npos);
  EXPECT_NE(why("P30").find("expected a number followed by a unit"), std::string::npos);
  EXPECT_NE(why("P.D").find("'.' is not a number"), std::string::npos);
  EXPECT_NE(why("P1.2.3D").find("'1.2.3' is not a number"), std::string::npos);
  EXPECT_NE(why("P1DT").find("no amount after 'T'"), std::string::npos);
  EXPECT_NE(why("P1Y").find("'P1Y'"), std::string::npos);  // Quotes the input...
  EXPECT_NE(why("P1Y").find("expected e.g. P30D"), std::string::npos);  // ...and shows the form.
}

}  // namespace
}  // namespace grove
