// HolidayFeedStore over PostgreSQL: every imported bank holidays feed, the latest in use.
#include "database.h"

namespace townhall::postgres {

Status PgStore::put_holiday_feed(const HolidayFeed& feed, const AuditEvent& audit) {
  auto done = write("cannot store the bank holidays feed", [&](Tx& tx) -> Result<bool> {
    tx.exec("INSERT INTO bank_holiday_feeds(imported_on, imported_at, source, feed) VALUES ($1,$2,$3,$4)",
            {feed.imported_on.iso(), now_rfc3339_utc(), feed.source, holiday_feed_json(feed).dump()});
    append_audit_locked(tx, audit);
    return true;
  });
  if (!done) return done.error();
  return Status::Ok();
}

Result<std::optional<HolidayFeed>> PgStore::holiday_feed() {
  return read("cannot read the bank holidays feed", [&](Tx& tx) -> Result<std::optional<HolidayFeed>> {
    // A database held at an older schema (opened read-only) has no table for them: nothing imported.
    if (version_ < kActualDatesVersion) return std::optional<HolidayFeed>{};
    auto q = tx.exec("SELECT imported_on, source, feed FROM bank_holiday_feeds ORDER BY id DESC LIMIT 1");
    if (q.empty()) return std::optional<HolidayFeed>{};
    auto feed = parse_holiday_feed(q.str(0, 2));
    auto on = Date::parse(q.str(0, 0), "imported_on");
    // Only validated feeds are stored: anything else was changed behind the store's back.
    if (!feed || !on) throw std::runtime_error("stored bank holidays feed is corrupt");
    feed->imported_on = *on;
    feed->source = q.str(0, 1);
    return std::optional<HolidayFeed>{std::move(*feed)};
  });
}

}  // namespace townhall::postgres
