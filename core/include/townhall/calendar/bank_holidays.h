// townhall/calendar/bank_holidays.h — UK bank holidays by region.
//
// Holidays are computed by rule (Easter by the anonymous Gregorian algorithm, first/last Mondays,
// substitute days when a fixed-date holiday falls at a weekend) and then corrected by the table of
// proclaimed moves and one-off days in core/data/bank-holidays.json. Years after the table's
// `confirmed_through` year are rule-only and marked provisional. Supported years: 1978–2100
// (the Early May bank holiday began in 1978).
// Thread-safety: HolidayCalendar is immutable after construction; share it freely.
#pragma once

#include <map>
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

class HolidayCalendar {
 public:
  static constexpr int kFirstYear = 1978;
  static constexpr int kLastYear = 2100;

  // The shared, lazily built calendar of a region.
  static const HolidayCalendar& for_region(Region region);

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
  // Last year whose holidays come from the proclamation table rather than rule alone.
  int confirmed_through() const { return confirmed_through_; }

 private:
  explicit HolidayCalendar(Region region);
  Region region_;
  int confirmed_through_ = 0;
  std::map<Date, BankHoliday> by_date_;
};

}  // namespace townhall
