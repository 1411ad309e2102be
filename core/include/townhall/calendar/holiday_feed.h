// townhall/calendar/holiday_feed.h — the official GOV.UK bank holidays feed
// (https://www.gov.uk/bank-holidays.json), imported so a council's calendar stays current between
// releases, and the set of three regional calendars the rules use once it is.
//
// The feed is {"england-and-wales": {"division": "england-and-wales", "events": [{"title",
// "date", "notes", "bunting"}, ...]}, "scotland": {...}, "northern-ireland": {...}}.
// parse_holiday_feed() takes all of it or none: every division must be there, every event must
// have a title and a date in the supported years (bank_holidays.h), no day may be listed twice in
// a division; every bad entry is named (as a JSON pointer) in the one error.
// Thread-safety: plain values; HolidayCalendars is immutable after construction.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/calendar/bank_holidays.h"
#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall {

struct FeedHoliday {
  Date date;
  std::string title;
  std::string notes;  // GOV.UK writes "Substitute day" for a day standing in for a weekend one
  bool bunting = false;
};

struct HolidayFeed {
  std::map<Region, std::vector<FeedHoliday>> divisions;  // all three regions, days in date order
  Date imported_on;    // the local day it was imported
  std::string source;  // where it came from, as the importer named it ("bank-holidays.json")
};

// Reads the GOV.UK format (imported_on and source are left for the caller to set).
Result<HolidayFeed> parse_holiday_feed(std::string_view text);
// The feed in the GOV.UK format again (what parse_holiday_feed reads).
nlohmann::json holiday_feed_json(const HolidayFeed& feed);
// The years a division lists, first and last (0, 0 for none).
std::pair<int, int> feed_years(const HolidayFeed& feed, Region region);

// The calendars of the three regions: the built-in ones, or the built-in ones brought up to date
// by an imported feed.
class HolidayCalendars {
 public:
  HolidayCalendars() = default;  // the built-in calendars
  explicit HolidayCalendars(const HolidayFeed& feed);

  const HolidayCalendar& of(Region region) const;

 private:
  std::array<std::shared_ptr<const HolidayCalendar>, 3> calendars_{};
};

}  // namespace townhall
