// townhall/calendar/store.h — where a council's imported bank holidays feed is kept
// (holiday_feed.h), and the calendars the rules use made from it.
//
// Every import is kept with its audit entry in one transaction; the latest is the one in use.
// Errors: kIo (kStorageFull when the disk is full) for database trouble.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <memory>
#include <optional>

#include "townhall/audit/audit.h"
#include "townhall/calendar/holiday_feed.h"
#include "townhall/error.h"

namespace townhall {

class HolidayFeedStore {
 public:
  virtual ~HolidayFeedStore() = default;

  // Stores `feed` (already validated by parse_holiday_feed) as the one in use.
  virtual Status put_holiday_feed(const HolidayFeed& feed, const AuditEvent& audit) = 0;
  // The latest import, if any.
  virtual Result<std::optional<HolidayFeed>> holiday_feed() = 0;
};

// The calendars the rules use for this database: the built-in ones brought up to date by the
// latest imported feed, or null when none was imported (CharterPolicy::holidays).
Result<std::shared_ptr<const HolidayCalendars>> stored_holidays(HolidayFeedStore& store);

}  // namespace townhall
