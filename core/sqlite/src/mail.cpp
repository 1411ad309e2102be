// MailOutbox over SQLite: the emails Townhall sends and where each one is on its way.
#include <algorithm>

#include "database.h"

namespace townhall::sqlite {

namespace {

constexpr const char* kOutboxColumns =
    "id, to_address, subject, body, created_at, state, attempts, next_attempt_at, last_error, delivered_at, reference";

DeliveryState state_from_id(const std::string& id) {
  if (id == "delivered") return DeliveryState::kDelivered;
  if (id == "failed") return DeliveryState::kFailed;
  return DeliveryState::kQueued;
}

OutboxEmail email_from_row(SQLite::Statement& q) {
  OutboxEmail e;
  e.id = q.getColumn(0).getInt64();
  e.to = q.getColumn(1).getString();
  e.subject = q.getColumn(2).getString();
  e.body = q.getColumn(3).getString();
  e.created_at = q.getColumn(4).getString();
  e.state = state_from_id(q.getColumn(5).getString());
  e.attempts = q.getColumn(6).getInt();
  e.next_attempt_at = q.getColumn(7).getInt64();
  e.last_error = q.getColumn(8).getString();
  e.delivered_at = q.getColumn(9).getString();
  e.reference = q.getColumn(10).getString();
  return e;
}

}  // namespace

Result<int64_t> SqliteStore::add_outbox_email(const OutboxEmail& email) {
  return write("cannot write to the outbox", [&]() -> Result<int64_t> {
    SQLite::Statement q(db_, "INSERT INTO pages_outbox(to_address, subject, body, created_at) VALUES (?,?,?,?)");
    q.bind(1, email.to);
    q.bind(2, email.subject);
    q.bind(3, email.body);
    q.bind(4, now_rfc3339_utc());
    q.exec();
    return db_.getLastInsertRowid();
  });
}

Result<std::vector<OutboxEmail>> SqliteStore::outbox() {
  return read("cannot read the outbox", [&]() -> Result<std::vector<OutboxEmail>> {
    SQLite::Statement q(db_, std::string("SELECT ") + kOutboxColumns + " FROM pages_outbox ORDER BY id");
    std::vector<OutboxEmail> out;
    while (q.executeStep()) out.push_back(email_from_row(q));
    return out;
  });
}

Result<std::vector<OutboxEmail>> SqliteStore::claim_due_emails(int64_t now, int limit, int64_t lease_seconds) {
  return write("cannot claim emails from the outbox", [&]() -> Result<std::vector<OutboxEmail>> {
    // One IMMEDIATE transaction: the rows read are the rows leased, and no other connection
    // (another server on this database) can claim them in between.
    SQLite::Statement q(db_, std::string("SELECT ") + kOutboxColumns +
                                 " FROM pages_outbox WHERE state = 'queued' AND next_attempt_at <= ? "
                                 "ORDER BY next_attempt_at, id LIMIT ?");
    q.bind(1, now);
    q.bind(2, std::max(limit, 0));
    std::vector<OutboxEmail> due;
    while (q.executeStep()) due.push_back(email_from_row(q));
    SQLite::Statement lease(db_, "UPDATE pages_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?");
    for (OutboxEmail& e : due) {
      e.attempts += 1;
      e.next_attempt_at = now + lease_seconds;
      lease.bind(1, e.next_attempt_at);
      lease.bind(2, e.id);
      lease.exec();
      lease.reset();
    }
    return due;
  });
}

Status SqliteStore::record_delivered(int64_t id, const std::string& reference) {
  return write("cannot record a delivery in the outbox", [&]() -> Status {
    SQLite::Statement q(db_,
                        "UPDATE pages_outbox SET state = 'delivered', delivered_at = ?, reference = ?, last_error = '' "
                        "WHERE id = ?");
    q.bind(1, now_rfc3339_utc());
    q.bind(2, reference);
    q.bind(3, id);
    if (q.exec() == 0) return not_found("email", std::to_string(id));
    return Status::Ok();
  });
}

Status SqliteStore::record_failed_attempt(int64_t id, const std::string& error, std::optional<int64_t> retry_at) {
  return write("cannot record a failed delivery in the outbox", [&]() -> Status {
    SQLite::Statement q(db_, "UPDATE pages_outbox SET state = ?, last_error = ?, next_attempt_at = ? WHERE id = ?");
    q.bind(1, retry_at ? "queued" : "failed");
    q.bind(2, error);
    q.bind(3, retry_at.value_or(0));
    q.bind(4, id);
    if (q.exec() == 0) return not_found("email", std::to_string(id));
    return Status::Ok();
  });
}

Result<int64_t> SqliteStore::remove_finished_emails(const std::string& before) {
  return write("cannot remove old emails from the outbox", [&]() -> Result<int64_t> {
    SQLite::Statement q(db_,
                        "DELETE FROM pages_outbox WHERE (state = 'delivered' AND delivered_at < ?) "
                        "OR (state = 'failed' AND created_at < ?)");
    q.bind(1, before);
    q.bind(2, before);
    return static_cast<int64_t>(q.exec());
  });
}

}  // namespace townhall::sqlite
