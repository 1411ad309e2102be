#include "townhall/calendar/holiday_feed.h"

#include "townhall/calendar/store.h"

#include <algorithm>
#include <set>

#include "townhall/util/json_parse.h"

namespace townhall {

namespace {

constexpr Region kFeedRegions[] = {Region::kEnglandAndWales, Region::kScotland, Region::kNorthernIreland};
// Enough to name what is wrong with a feed without an unbounded message.
constexpr size_t kMaxNamedProblems = 20;

struct FeedProblems {
  std::vector<std::string> items;
  size_t count = 0;
  std::string first_pointer;
  void add(const std::string& pointer, const std::string& what) {
    if (count++ == 0) first_pointer = pointer;
    if (items.size() < kMaxNamedProblems) items.push_back(pointer + ": " + what);
  }
};

const nlohmann::json* string_member(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? &*it : nullptr;
}

void read_division(const nlohmann::json& doc, Region region, HolidayFeed& feed, FeedProblems& problems) {
  const std::string key = region_id(region);
  const std::string base = "/" + key;
  auto it = doc.find(key);
  if (it == doc.end()) return problems.add(base, "the division is missing (the feed must list all three)");
  if (!it->is_object()) return problems.add(base, "must be an object with division and events");
  const nlohmann::json& division = *it;
  if (const auto* name = string_member(division, "division"); name && name->get<std::string>() != key) {
    problems.add(base + "/division", "says \"" + name->get<std::string>() + "\", expected \"" + key + "\"");
  }
  auto events = division.find("events");
  if (events == division.end() || !events->is_array()) return problems.add(base + "/events", "must be a list of events");
  if (events->empty()) return problems.add(base + "/events", "lists no bank holidays");
  std::vector<FeedHoliday> days;
  std::set<Date> seen;
  for (size_t i = 0; i < events->size(); ++i) {
    const std::string at = base + "/events/" + std::to_string(i);
    const nlohmann::json& e = (*events)[i];
    if (!e.is_object()) {
      problems.add(at, "must be an object with title and date");
      continue;
    }
    FeedHoliday h;
    const auto* title = string_member(e, "title");
    if (title == nullptr || title->get<std::string>().empty()) problems.add(at + "/title", "must be the holiday's name");
    else h.title = title->get<std::string>();
    if (auto notes = e.find("notes"); notes != e.end()) {
      if (notes->is_string()) h.notes = notes->get<std::string>();
      else problems.add(at + "/notes", "must be text");
    }
    if (auto bunting = e.find("bunting"); bunting != e.end()) {
      if (bunting->is_boolean()) h.bunting = bunting->get<bool>();
      else problems.add(at + "/bunting", "must be true or false");
    }
    const auto* date = string_member(e, "date");
    if (date == nullptr) {
      problems.add(at + "/date", "must be a date like 2026-12-25");
      continue;
    }
    auto d = HolidayCalendar::parse_supported(date->get<std::string>(), at + "/date");
    if (!d) {
      problems.add(at + "/date", d.error().message);
      continue;
    }
    if (!seen.insert(*d).second) {
      problems.add(at + "/date", d->iso() + " is listed twice");
      continue;
    }
    h.date = *d;
    days.push_back(std::move(h));
  }
  std::sort(days.begin(), days.end(), [](const FeedHoliday& a, const FeedHoliday& b) { return a.date < b.date; });
  feed.divisions[region] = std::move(days);
}

}  // namespace

Result<HolidayFeed> parse_holiday_feed(std::string_view text) {
  auto doc = parse_json(text, "the bank holidays feed");
  if (!doc) return doc.error();
  if (!doc->is_object()) {
    return Error{ErrorCode::kSchemaViolation, "/",
                 "the bank holidays feed must be an object with england-and-wales, scotland and northern-ireland"};
  }
  HolidayFeed feed;
  FeedProblems problems;
  for (Region r : kFeedRegions) read_division(*doc, r, feed, problems);
  for (const auto& [key, value] : doc->items()) {
    if (!parse_region(key)) problems.add("/" + key, "is not a division of the feed");
  }
  if (problems.count > 0) {
    std::string message = "the bank holidays feed was not imported (" + std::to_string(problems.count) +
                          (problems.count == 1 ? " problem): " : " problems): ");
    for (size_t i = 0; i < problems.items.size(); ++i) message += (i ? "; " : "") + problems.items[i];
    if (problems.count > problems.items.size()) {
      message += "; and " + std::to_string(problems.count - problems.items.size()) + " more";
    }
    return Error{ErrorCode::kSchemaViolation, problems.first_pointer, message};
  }
  return feed;
}

nlohmann::json holiday_feed_json(const HolidayFeed& feed) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [region, days] : feed.divisions) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& h : days) {
      events.push_back({{"title", h.title}, {"date", h.date.iso()}, {"notes", h.notes}, {"bunting", h.bunting}});
    }
    out[region_id(region)] = {{"division", region_id(region)}, {"events", events}};
  }
  return out;
}

std::pair<int, int> feed_years(const HolidayFeed& feed, Region region) {
  auto it = feed.divisions.find(region);
  if (it == feed.divisions.end() || it->second.empty()) return {0, 0};
  return {it->second.front().date.year(), it->second.back().date.year()};
}

HolidayCalendars::HolidayCalendars(const HolidayFeed& feed) {
  for (Region r : kFeedRegions) calendars_[static_cast<size_t>(r)] = HolidayCalendar::with_feed(r, feed);
}

const HolidayCalendar& HolidayCalendars::of(Region region) const {
  const auto& c = calendars_[static_cast<size_t>(region)];
  return c ? *c : HolidayCalendar::for_region(region);
}

Result<std::shared_ptr<const HolidayCalendars>> stored_holidays(HolidayFeedStore& store) {
  auto feed = store.holiday_feed();
  if (!feed) return feed.error();
  if (!*feed) return std::shared_ptr<const HolidayCalendars>{};
  return std::shared_ptr<const HolidayCalendars>(std::make_shared<HolidayCalendars>(**feed));
}

}  // namespace townhall
