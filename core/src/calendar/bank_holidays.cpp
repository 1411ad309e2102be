#include "townhall/calendar/bank_holidays.h"

#include "townhall/calendar/holiday_feed.h"

#include <mutex>

#include <nlohmann/json.hpp>

namespace townhall {
namespace embedded::data {
std::string_view bank_holidays();
}

const char* region_id(Region region) {
  switch (region) {
    case Region::kEnglandAndWales: return "england-and-wales";
    case Region::kScotland: return "scotland";
    case Region::kNorthernIreland: return "northern-ireland";
  }
  return "england-and-wales";
}

Result<Region> parse_region(std::string_view text, std::string_view field) {
  if (text == "england-and-wales") return Region::kEnglandAndWales;
  if (text == "scotland") return Region::kScotland;
  if (text == "northern-ireland") return Region::kNorthernIreland;
  return invalid_argument(std::string(field),
                          "unknown region \"" + std::string(text) +
                              "\" (expected england-and-wales, scotland or northern-ireland)");
}

namespace {

// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
Date easter_sunday(int year) {
  const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date::from_ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Date first_monday(int year, unsigned month) {
  Date d = Date::from_ymd(year, month, 1);
  while (d.weekday() != Weekday::kMonday) d = d.plus_days(1);
  return d;
}

Date last_monday(int year, unsigned month) {
  Date d = first_monday(year, month).plus_days(28);
  if (d.month() != month) d = d.minus_days(7);
  return d;
}

// A holiday computed by rule, keyed so the proclamation table can move it.
struct RuleHoliday {
  std::string key;  // "early-may", "spring", ...
  BankHoliday holiday;
};

void add(std::vector<RuleHoliday>& out, std::string key, Date date, std::string name, bool substitute = false) {
  out.push_back({std::move(key), BankHoliday{date, std::move(name), substitute, false}});
}

// A fixed-date holiday that moves to the following Monday when it falls at a weekend.
void add_fixed_with_monday_substitute(std::vector<RuleHoliday>& out, std::string key, Date date,
                                      const std::string& name) {
  if (date.weekday() == Weekday::kSaturday) {
    add(out, std::move(key), date.plus_days(2), name + " (substitute day)", true);
  } else if (date.weekday() == Weekday::kSunday) {
    add(out, std::move(key), date.plus_days(1), name + " (substitute day)", true);
  } else {
    add(out, std::move(key), date, name);
  }
}

void add_christmas(std::vector<RuleHoliday>& out, int year) {
  const Date xmas = Date::from_ymd(year, 12, 25);
  switch (xmas.weekday()) {
    case Weekday::kFriday:  // Boxing Day is Saturday: substitute Monday 28
      add(out, "christmas", xmas, "Christmas Day");
      add(out, "boxing", xmas.plus_days(3), "Boxing Day (substitute day)", true);
      break;
    case Weekday::kSaturday:  // both fall at the weekend: Monday 27 and Tuesday 28
      add(out, "christmas", xmas.plus_days(2), "Christmas Day (substitute day)", true);
      add(out, "boxing", xmas.plus_days(3), "Boxing Day (substitute day)", true);
      break;
    case Weekday::kSunday:  // Boxing Day is Monday 26; Christmas substitute Tuesday 27
      add(out, "boxing", xmas.plus_days(1), "Boxing Day");
      add(out, "christmas", xmas.plus_days(2), "Christmas Day (substitute day)", true);
      break;
    default:
      add(out, "christmas", xmas, "Christmas Day");
      add(out, "boxing", xmas.plus_days(1), "Boxing Day");
  }
}

std::vector<RuleHoliday> rule_holidays(Region region, int year) {
  std::vector<RuleHoliday> out;
  const Date jan1 = Date::from_ymd(year, 1, 1);
  if (region == Region::kScotland) {
    // New Year's Day and 2 January; weekend days move to the next free weekdays.
    switch (jan1.weekday()) {
      case Weekday::kFriday:
        add(out, "new-year", jan1, "New Year's Day");
        add(out, "second-january", jan1.plus_days(3), "2nd January (substitute day)", true);
        break;
      case Weekday::kSaturday:
        add(out, "new-year", jan1.plus_days(2), "New Year's Day (substitute day)", true);
        add(out, "second-january", jan1.plus_days(3), "2nd January (substitute day)", true);
        break;
      case Weekday::kSunday:
        add(out, "new-year", jan1.plus_days(1), "New Year's Day (substitute day)", true);
        add(out, "second-january", jan1.plus_days(2), "2nd January (substitute day)", true);
        break;
      default:
        add(out, "new-year", jan1, "New Year's Day");
        add(out, "second-january", jan1.plus_days(1), "2nd January");
    }
  } else {
    add_fixed_with_monday_substitute(out, "new-year", jan1, "New Year's Day");
  }
  if (region == Region::kNorthernIreland) {
    add_fixed_with_monday_substitute(out, "st-patrick", Date::from_ymd(year, 3, 17), "St Patrick's Day");
  }
  const Date easter = easter_sunday(year);
  add(out, "good-friday", easter.minus_days(2), "Good Friday");
  if (region != Region::kScotland) add(out, "easter-monday", easter.plus_days(1), "Easter Monday");
  add(out, "early-may", first_monday(year, 5), "Early May bank holiday");
  add(out, "spring", last_monday(year, 5), "Spring bank holiday");
  if (region == Region::kNorthernIreland) {
    add_fixed_with_monday_substitute(out, "boyne", Date::from_ymd(year, 7, 12),
                                     "Battle of the Boyne (Orangemen's Day)");
  }
  if (region == Region::kScotland) {
    add(out, "summer", first_monday(year, 8), "Summer bank holiday");
  } else {
    add(out, "summer", last_monday(year, 8), "Summer bank holiday");
  }
  // St Andrew's Day Bank Holiday (Scotland) Act 2007.
  if (region == Region::kScotland && year >= 2007) {
    add_fixed_with_monday_substitute(out, "st-andrew", Date::from_ymd(year, 11, 30), "St Andrew's Day");
  }
  add_christmas(out, year);
  return out;
}

bool applies_to(const nlohmann::json& entry, Region region) {
  for (const auto& r : entry.at("regions")) {
    if (r.get<std::string>() == region_id(region)) return true;
  }
  return false;
}

Date table_date(const nlohmann::json& entry) {
  // The table is part of the source tree and covered by tests; a bad date is a build defect.
  auto d = Date::parse(entry.at("date").get<std::string>(), "bank-holidays.json");
  if (!d) throw std::logic_error(d.error().describe());
  return *d;
}

}  // namespace

HolidayCalendar::HolidayCalendar(Region region, const HolidayFeed* feed) : region_(region) {
  const auto table = nlohmann::json::parse(embedded::data::bank_holidays());
  confirmed_through_ = table.at("confirmed_through").at(region_id(region)).get<int>();

  for (int year = kFirstYear; year <= kLastYear; ++year) {
    auto rules = rule_holidays(region, year);
    for (const auto& move : table.at("moves")) {
      if (!applies_to(move, region) || move.at("year").get<int>() != year) continue;
      for (auto& rh : rules) {
        if (rh.key == move.at("holiday").get<std::string>()) {
          rh.holiday.date = table_date(move);
          rh.holiday.name = move.at("name").get<std::string>();
          rh.holiday.substitute = false;
        }
      }
    }
    for (auto& rh : rules) {
      rh.holiday.provisional = year > confirmed_through_;
      by_date_[rh.holiday.date] = rh.holiday;
    }
  }
  for (const auto& extra : table.at("additions")) {
    if (!applies_to(extra, region)) continue;
    const Date d = table_date(extra);
    by_date_[d] = BankHoliday{d, extra.at("name").get<std::string>(), false, d.year() > confirmed_through_};
  }
  source_ = "built-in table (confirmed through " + std::to_string(confirmed_through_) + ")";
  if (feed == nullptr) return;

  // GOV.UK lists every bank holiday of each year it covers, so a year the feed lists is taken
  // from the feed as a whole: its days replace the table's, moved and one-off days included.
  auto it = feed->divisions.find(region);
  if (it == feed->divisions.end() || it->second.empty()) return;
  std::map<int, std::vector<const FeedHoliday*>> by_year;
  for (const auto& h : it->second) by_year[h.date.year()].push_back(&h);
  for (const auto& [year, days] : by_year) {
    by_date_.erase(by_date_.lower_bound(Date::from_ymd(year, 1, 1)), by_date_.upper_bound(Date::from_ymd(year, 12, 31)));
    for (const FeedHoliday* h : days) {
      const bool substitute = h->notes.find("ubstitute") != std::string::npos ||
                              h->title.find("ubstitute") != std::string::npos;
      by_date_[h->date] = BankHoliday{h->date, h->title, substitute, false};
    }
  }
  const int feed_last = by_year.rbegin()->first;
  if (feed_last > confirmed_through_) {
    confirmed_through_ = feed_last;
    for (auto& [date, h] : by_date_) h.provisional = date.year() > confirmed_through_;
  }
  source_ = "GOV.UK feed imported " + feed->imported_on.iso();
}

std::shared_ptr<const HolidayCalendar> HolidayCalendar::with_feed(Region region, const HolidayFeed& feed) {
  return std::shared_ptr<const HolidayCalendar>(new HolidayCalendar(region, &feed));
}

bool HolidayCalendar::supports(Date date) { return date.year() >= kFirstYear && date.year() <= kLastYear; }

Status HolidayCalendar::check_supported(Date date, std::string_view field) {
  if (supports(date)) return Status::Ok();
  return invalid_argument(std::string(field),
                          date.iso() + " is outside the supported range " + std::to_string(kFirstYear) +
                              "-01-01 to " + std::to_string(kLastYear) +
                              "-12-31: bank holidays are known only for those years, so days cannot be counted");
}

Result<Date> HolidayCalendar::parse_supported(std::string_view text, std::string_view field) {
  auto d = Date::parse(text, field);
  if (!d) return d;
  if (auto st = check_supported(*d, field); !st) return st.error();
  return d;
}

const HolidayCalendar& HolidayCalendar::for_region(Region region) {
  static std::once_flag flags[3];
  static const HolidayCalendar* calendars[3] = {nullptr, nullptr, nullptr};
  const int i = static_cast<int>(region);
  std::call_once(flags[i], [&] { calendars[i] = new HolidayCalendar(region, nullptr); });
  return *calendars[i];
}

Result<std::vector<BankHoliday>> HolidayCalendar::holidays(int from_year, int to_year) const {
  for (int y : {from_year, to_year}) {
    if (y < kFirstYear || y > kLastYear) {
      return invalid_argument(y == from_year ? "from" : "to",
                              "year " + std::to_string(y) + " is outside the supported range " +
                                  std::to_string(kFirstYear) + "–" + std::to_string(kLastYear));
    }
  }
  if (to_year < from_year) return invalid_argument("to", "is before from");
  std::vector<BankHoliday> out;
  auto it = by_date_.lower_bound(Date::from_ymd(from_year, 1, 1));
  const auto end = by_date_.upper_bound(Date::from_ymd(to_year, 12, 31));
  for (; it != end; ++it) out.push_back(it->second);
  return out;
}

const BankHoliday* HolidayCalendar::holiday_on(Date date) const {
  auto it = by_date_.find(date);
  return it == by_date_.end() ? nullptr : &it->second;
}

bool HolidayCalendar::is_working_day(Date date) const {
  return !date.is_weekend() && !is_bank_holiday(date);
}

Date HolidayCalendar::new_year_bank_holiday(int year) const {
  // 1 January, or its substitute on 2 or 3 January; outside the supported years, 1 January.
  for (unsigned day = 1; day <= 3; ++day) {
    const Date d = Date::from_ymd(year, 1, day);
    if (is_bank_holiday(d)) return d;
  }
  return Date::from_ymd(year, 1, 1);
}

Date HolidayCalendar::new_year_holidays_end(int year) const {
  // New Year's Day falls on 1–3 January and Scotland's 2 January holiday on 2–4 January (both
  // later when moved by substitutes); nothing else is a bank holiday before 6 January.
  Date end = new_year_bank_holiday(year);
  for (Date d = end.plus_days(1); d.day() <= 5 && d.month() == 1; d = d.plus_days(1)) {
    if (is_bank_holiday(d)) end = d;
  }
  return end;
}

}  // namespace townhall
