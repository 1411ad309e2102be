#include "townhall/date.h"

#include <cstdio>
#include <ctime>

namespace townhall {

namespace chr = std::chrono;

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  const chr::year_month_day ymd{chr::year{year}, chr::month{month}, chr::day{day}};
  return Date(static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count()));
}

Result<Date> Date::parse(std::string_view text, std::string_view field) {
  auto bad = [&](const std::string& why) {
    return Error{ErrorCode::kInvalidArgument, std::string(field), why};
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return bad("expected a date as YYYY-MM-DD, got \"" + std::string(text.substr(0, 40)) + "\"");
  }
  auto digits = [&](size_t pos, size_t len, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) {
    return bad("expected a date as YYYY-MM-DD, got \"" + std::string(text) + "\"");
  }
  if (y < kMinYear || y > kMaxYear) {
    return bad("year " + std::to_string(y) + " is out of range (" + std::to_string(kMinYear) +
               "–" + std::to_string(kMaxYear) + ")");
  }
  const chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(m)},
                                chr::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad("\"" + std::string(text) + "\" is not a real date");
  return from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

Date Date::today_in_london() {
  // g++ 12 has no chrono time zones. UK civil time is UTC (GMT) or UTC+1 (BST, from 01:00 UTC on
  // the last Sunday of March to 01:00 UTC on the last Sunday of October).
  const auto now = chr::system_clock::now();
  const auto utc_days = chr::floor<chr::days>(now);
  const auto secs = chr::duration_cast<chr::seconds>(now - utc_days).count();
  const Date utc_date(static_cast<int32_t>(utc_days.time_since_epoch().count()));
  auto last_sunday = [](int year, unsigned month) {
    Date d = from_ymd(year, month, 31);
    while (d.weekday() != Weekday::kSunday) d = d.minus_days(1);
    return d;
  };
  const int y = utc_date.year();
  const Date bst_start = last_sunday(y, 3), bst_end = last_sunday(y, 10);
  const bool bst = (utc_date > bst_start || (utc_date == bst_start && secs >= 3600)) &&
                   (utc_date < bst_end || (utc_date == bst_end && secs < 3600));
  if (bst && secs >= 23 * 3600) return utc_date.plus_days(1);
  return utc_date;
}

int Date::year() const {
  return static_cast<int>(chr::year_month_day{chr::sys_days{chr::days{days_}}}.year());
}
unsigned Date::month() const {
  return static_cast<unsigned>(chr::year_month_day{chr::sys_days{chr::days{days_}}}.month());
}
unsigned Date::day() const {
  return static_cast<unsigned>(chr::year_month_day{chr::sys_days{chr::days{days_}}}.day());
}
Weekday Date::weekday() const {
  return static_cast<Weekday>(chr::weekday{chr::sys_days{chr::days{days_}}}.iso_encoding());
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

std::string Date::long_english() const {
  static const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                  "July",    "August",   "September", "October", "November", "December"};
  return std::string(weekday_name(weekday())) + " " + std::to_string(day()) + " " +
         kMonths[month() - 1] + " " + std::to_string(year());
}

const char* weekday_name(Weekday w) {
  switch (w) {
    case Weekday::kMonday: return "Monday";
    case Weekday::kTuesday: return "Tuesday";
    case Weekday::kWednesday: return "Wednesday";
    case Weekday::kThursday: return "Thursday";
    case Weekday::kFriday: return "Friday";
    case Weekday::kSaturday: return "Saturday";
    case Weekday::kSunday: return "Sunday";
  }
  return "";
}

}  // namespace townhall
