// MailOutbox over PostgreSQL: the emails Townhall sends and where each one is on its way. Due
// emails are claimed with FOR UPDATE SKIP LOCKED, so workers on several servers never lease the
// same email and never wait on each other's claims.
#include <algorithm>

#include "database.h"

namespace townhall::postgres {
namespace {

constexpr const char* kOutboxColumns =
    "id, to_address, subject, body, created_at, state, attempts, next_attempt_at, last_error, delivered_at, reference";

DeliveryState state_from_id(const std::string& id) {
  if (id == "delivered") return DeliveryState::kDelivered;
  if (id == "failed") return DeliveryState::kFailed;
  return DeliveryState::kQueued;
}

OutboxEmail email_from_row(const pq::Rows& q, int i) {
  OutboxEmail e;
  e.id = q.i64(i, 0);
  e.to = q.str(i, 1);
  e.subject = q.str(i, 2);
  e.body = q.str(i, 3);
  e.created_at = q.str(i, 4);
  e.state = state_from_id(q.str(i, 5));
  e.attempts = static_cast<int>(q.i64(i, 6));
  e.next_attempt_at = q.i64(i, 7);
  e.last_error = q.str(i, 8);
  e.delivered_at = q.str(i, 9);
  e.reference = q.str(i, 10);
  return e;
}

}  // namespace

Result<int64_t> PgStore::add_outbox_email(const OutboxEmail& email) {
  return write("cannot write to the outbox", [&](Tx& tx) -> Result<int64_t> {
    return tx.exec("INSERT INTO pages_outbox(to_address, subject, body, created_at) VALUES ($1,$2,$3,$4) RETURNING id",
                   {email.to, email.subject, email.body, now_rfc3339_utc()})
        .i64(0, 0);
  });
}

Result<std::vector<OutboxEmail>> PgStore::outbox() {
  return read("cannot read the outbox", [&](Tx& tx) -> Result<std::vector<OutboxEmail>> {
    auto q = tx.exec(std::string("SELECT ") + kOutboxColumns + " FROM pages_outbox ORDER BY id");
    std::vector<OutboxEmail> out;
    for (int i = 0; i < q.size(); ++i) out.push_back(email_from_row(q, i));
    return out;
  });
}

Result<std::vector<OutboxEmail>> PgStore::claim_due_emails(int64_t now, int limit, int64_t lease_seconds) {
  return write("cannot claim emails from the outbox", [&](Tx& tx) -> Result<std::vector<OutboxEmail>> {
    auto q = tx.exec(std::string("SELECT ") + kOutboxColumns +
                         " FROM pages_outbox WHERE state = 'queued' AND next_attempt_at <= $1 "
                         "ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED",
                     {now, std::max(limit, 0)});
    std::vector<OutboxEmail> due;
    for (int i = 0; i < q.size(); ++i) due.push_back(email_from_row(q, i));
    for (OutboxEmail& e : due) {
      e.attempts += 1;
      e.next_attempt_at = now + lease_seconds;
      tx.exec("UPDATE pages_outbox SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2",
              {e.next_attempt_at, e.id});
    }
    return due;
  });
}

Status PgStore::record_delivered(int64_t id, const std::string& reference) {
  return write("cannot record a delivery in the outbox", [&](Tx& tx) -> Status {
    if (tx.exec("UPDATE pages_outbox SET state = 'delivered', delivered_at = $1, reference = $2, last_error = '' "
                "WHERE id = $3",
                {now_rfc3339_utc(), reference, id})
            .affected() == 0) {
      return not_found("email", std::to_string(id));
    }
    return Status::Ok();
  });
}

Status PgStore::record_failed_attempt(int64_t id, const std::string& error, std::optional<int64_t> retry_at) {
  return write("cannot record a failed delivery in the outbox", [&](Tx& tx) -> Status {
    if (tx.exec("UPDATE pages_outbox SET state = $1, last_error = $2, next_attempt_at = $3 WHERE id = $4",
                {retry_at ? "queued" : "failed", error, retry_at.value_or(0), id})
            .affected() == 0) {
      return not_found("email", std::to_string(id));
    }
    return Status::Ok();
  });
}

Result<int64_t> PgStore::remove_finished_emails(const std::string& before) {
  return write("cannot remove old emails from the outbox", [&](Tx& tx) -> Result<int64_t> {
    return static_cast<int64_t>(tx.exec("DELETE FROM pages_outbox WHERE (state = 'delivered' AND delivered_at < $1) "
                                        "OR (state = 'failed' AND created_at < $1)",
                                        {before})
                                    .affected());
  });
}

}  // namespace townhall::postgres
