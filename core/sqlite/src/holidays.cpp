// HolidayFeedStore over SQLite: every imported bank holidays feed, the latest in use.
#include "database.h"
#include "townhall/util/json_parse.h"

namespace townhall::sqlite {

Status SqliteStore::put_holiday_feed(const HolidayFeed& feed, const AuditEvent& audit) {
  auto done = write("cannot store the bank holidays feed", [&]() -> Result<bool> {
    SQLite::Statement q(db_, "INSERT INTO bank_holiday_feeds(imported_on, imported_at, source, feed) VALUES (?,?,?,?)");
    q.bind(1, feed.imported_on.iso());
    q.bind(2, now_rfc3339_utc());
    q.bind(3, feed.source);
    q.bind(4, holiday_feed_json(feed).dump());
    q.exec();
    append_audit_locked(audit);
    return true;
  });
  if (!done) return done.error();
  return Status::Ok();
}

Result<std::optional<HolidayFeed>> SqliteStore::holiday_feed() {
  return read("cannot read the bank holidays feed", [&]() -> Result<std::optional<HolidayFeed>> {
    // An older database opened read-only has no table for them yet: nothing was imported.
    if (version_ < 15) return std::optional<HolidayFeed>{};
    SQLite::Statement q(db_, "SELECT imported_on, source, feed FROM bank_holiday_feeds ORDER BY id DESC LIMIT 1");
    if (!q.executeStep()) return std::optional<HolidayFeed>{};
    auto feed = parse_holiday_feed(q.getColumn(2).getString());
    auto on = Date::parse(q.getColumn(0).getString(), "imported_on");
    // Only validated feeds are stored: anything else was changed behind the store's back.
    if (!feed || !on) throw std::runtime_error("stored bank holidays feed is corrupt");
    feed->imported_on = *on;
    feed->source = q.getColumn(1).getString();
    return std::optional<HolidayFeed>{std::move(*feed)};
  });
}

}  // namespace townhall::sqlite
