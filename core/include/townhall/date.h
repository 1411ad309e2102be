// townhall/date.h — a local calendar date (Europe/London), the unit of every charter rule.
//
// Dates are days since 1970-01-01 in the proleptic Gregorian calendar; there is no time of day and
// no time zone, because the charter and the regulations count whole local days. Parsing accepts
// only `YYYY-MM-DD` with a real month and day, years 1900–2200.
// Thread-safety: plain value.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "townhall/error.h"

namespace townhall {

enum class Weekday { kMonday = 1, kTuesday, kWednesday, kThursday, kFriday, kSaturday, kSunday };

class Date {
 public:
  static constexpr int kMinYear = 1900;
  static constexpr int kMaxYear = 2200;

  constexpr Date() = default;
  // Caller guarantees a valid date; use parse() for untrusted text.
  static Date from_ymd(int year, unsigned month, unsigned day);
  static constexpr Date from_days(int32_t days_since_epoch) { return Date(days_since_epoch); }
  // Strict `YYYY-MM-DD`; the error names `field`.
  static Result<Date> parse(std::string_view text, std::string_view field = {});
  // Today's date in Europe/London.
  static Date today_in_london();

  int year() const;
  unsigned month() const;
  unsigned day() const;
  Weekday weekday() const;
  bool is_weekend() const { return weekday() >= Weekday::kSaturday; }
  int32_t days_since_epoch() const { return days_; }

  Date plus_days(int32_t n) const { return Date(days_ + n); }
  Date minus_days(int32_t n) const { return Date(days_ - n); }
  // b - a in days.
  friend int32_t operator-(Date a, Date b) { return a.days_ - b.days_; }

  std::string iso() const;             // 2025-07-17
  std::string long_english() const;    // Thursday 17 July 2025

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(int32_t d) : days_(d) {}
  int32_t days_ = 0;
};

const char* weekday_name(Weekday w);

}  // namespace townhall
