#include "townhall/date.h"

#include <gtest/gtest.h>

namespace townhall {
namespace {

TEST(Date, ParsesAndFormatsIso) {
  auto d = Date::parse("2025-07-17");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->iso(), "2025-07-17");
  EXPECT_EQ(d->weekday(), Weekday::kThursday);
  EXPECT_EQ(d->long_english(), "Thursday 17 July 2025");
}

TEST(Date, RejectsMalformedAndImpossibleDates) {
  EXPECT_FALSE(Date::parse("2025-7-17").ok());
  EXPECT_FALSE(Date::parse("17/07/2025").ok());
  EXPECT_FALSE(Date::parse("2025-02-29").ok());     // not a leap year
  EXPECT_TRUE(Date::parse("2024-02-29").ok());
  EXPECT_FALSE(Date::parse("2025-13-01").ok());
  auto far = Date::parse("9999-01-01", "/opens");
  ASSERT_FALSE(far.ok());
  EXPECT_EQ(far.error().field, "/opens");
  EXPECT_NE(far.error().message.find("out of range"), std::string::npos);
}

TEST(Date, Arithmetic) {
  Date a = Date::from_ymd(2025, 12, 1);
  EXPECT_EQ(a.plus_days(41).iso(), "2026-01-11");
  EXPECT_EQ(Date::from_ymd(2026, 1, 25) - a, 55);
  EXPECT_EQ(Date::from_ymd(1970, 1, 1).days_since_epoch(), 0);
}

}  // namespace
}  // namespace townhall
