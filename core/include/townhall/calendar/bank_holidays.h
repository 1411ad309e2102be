// townhall/calendar/bank_holidays.h — UK bank holidays by region.
//
// Holidays are computed by rule (Easter by the anonymous Gregorian algorithm, first/last Mondays,
// substitute days when a fixed-date holiday falls at a weekend) and then corrected by the table of
// proclaimed moves and one-off days in core/data/bank-holidays.json. Years after the table's
// `confirmed_through` year are rule-only and marked provisional. Supported years: 1978–2100
// (the Early May bank holiday began in 1978); a date outside them has no known holidays, so
// every function that counts days refuses it (check_supported) rather than answer as if there
// were none.
//
// A council can bring the table up to date without a new release by importing the GOV.UK feed
// (holiday_feed.h): with_feed() builds a region's calendar from the built-in one, every year the
// feed lists taken from the feed instead, and source() then names the feed and its import date.
// Thread-safety: HolidayCalendar is immutable after construction; share it freely.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall {

enum class Region { kEnglandAndWales, kScotland, kNorthernIreland };

// "england-and-wales", "scotland", "northern-ireland".
const char* region_id(Region region);
Result<Region> parse_region(std::string_view text, std::string_view field = "region");

struct BankHoliday {
  Date date;
  std::string name;         // English name, e.g. "Easter Monday"
  bool substitute = false;  // a weekday standing in for a holiday that fell at a weekend
  bool provisional = false; // year beyond the proclamation table: computed by rule only
};

struct HolidayFeed;

class HolidayCalendar {
 public:
  static constexpr int kFirstYear = 1978;
  static constexpr int kLastYear = 2100;

  // Whether `date` lies in the supported years, whose holidays are known.
  static bool supports(Date date);
  // kInvalidArgument naming `field` for a date outside the supported years.
  static Status check_supported(Date date, std::string_view field);
  // A strict YYYY-MM-DD date (Date::parse) that is also in the supported years.
  static Result<Date> parse_supported(std::string_view text, std::string_view field);

  // The shared, lazily built calendar of a region (the built-in table only).
  static const HolidayCalendar& for_region(Region region);
  // The built-in calendar of `region` with every year that `feed` lists for the region's division
  // replaced by the feed's days.
  static std::shared_ptr<const HolidayCalendar> with_feed(Region region, const HolidayFeed& feed);

  Region region() const { return region_; }

  // Holidays in [from_year, to_year], in date order. Error if a year is unsupported.
  Result<std::vector<BankHoliday>> holidays(int from_year, int to_year) const;

  // The holiday on `date`, if any. Dates outside the supported years are never holidays.
  const BankHoliday* holiday_on(Date date) const;
  bool is_bank_holiday(Date date) const { return holiday_on(date) != nullptr; }
  // Monday–Friday and not a bank holiday.
  bool is_working_day(Date date) const;
  // The region's New Year's Day bank holiday (1 January or its substitute) in `year`.
  Date new_year_bank_holiday(int year) const;
  // The last of the region's New Year bank holidays in `year`: the one above, or in Scotland the
  // 2 January holiday (or its substitute) that follows it.
  Date new_year_holidays_end(int year) const;
  // Last year whose holidays come from the proclamation table (or an imported feed) rather than
  // rule alone.
  int confirmed_through() const { return confirmed_through_; }
  // Where the holidays come from, for findings that depend on them: "built-in table (confirmed
  // through 2026)" or "GOV.UK feed imported 2026-12-07".
  const std::string& source() const { return source_; }

 private:
  HolidayCalendar(Region region, const HolidayFeed* feed);
  Region region_;
  int confirmed_through_ = 0;
  std::string source_;
  std::map<Date, BankHoliday> by_date_;
};

}  // namespace townhall
