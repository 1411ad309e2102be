// townhall/mail/outbox.h — the emails Townhall sends (sign-in links, resume links, confirmations)
// and where each one is on its way to the recipient.
//
// Every email is first written to the outbox in the database, so nothing is lost when the mail
// service is down or the server restarts; a delivery worker (delivery.h) then hands it to a
// transport (transport.h) and records what happened. A worker claims the emails it is about to
// send for a while (a lease), so two servers on one database never send the same email at once.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "townhall/error.h"

namespace townhall {

// Where an email is: waiting to be sent (again), accepted by the mail service, or given up on.
enum class DeliveryState { kQueued, kDelivered, kFailed };

// "queued", "delivered", "failed".
const char* delivery_state_id(DeliveryState state);

struct OutboxEmail {
  int64_t id = 0;
  std::string to, subject, body;
  std::string created_at;  // RFC 3339 UTC, set by the store
  DeliveryState state = DeliveryState::kQueued;
  int attempts = 0;                // how many times a transport was asked to send it
  int64_t next_attempt_at = 0;     // Unix seconds: not tried before then (a retry's wait, or a lease)
  std::string last_error;          // what the last failed attempt said ("" when none failed)
  std::string delivered_at;        // RFC 3339 UTC, when the mail service accepted it
  std::string reference;           // the mail service's id for it, when it gives one
};

class MailOutbox {
 public:
  virtual ~MailOutbox() = default;

  // Adds an email, queued to be sent at once; gives its id.
  virtual Result<int64_t> add_outbox_email(const OutboxEmail& email) = 0;
  // The whole outbox, oldest first.
  virtual Result<std::vector<OutboxEmail>> outbox() = 0;

  // Up to `limit` queued emails whose next attempt is due on `now` (Unix seconds), oldest first,
  // each counted as attempted and leased until `now + lease_seconds`: no other caller gets them
  // until the lease runs out, and one whose sender died is tried again after it.
  virtual Result<std::vector<OutboxEmail>> claim_due_emails(int64_t now, int limit, int64_t lease_seconds) = 0;
  // The mail service accepted it: delivered, with its reference ("" when none was given).
  virtual Status record_delivered(int64_t id, const std::string& reference) = 0;
  // The attempt failed with `error`: queued again for `retry_at` (Unix seconds), or failed for
  // good when `retry_at` is not given.
  virtual Status record_failed_attempt(int64_t id, const std::string& error, std::optional<int64_t> retry_at) = 0;
  // Removes the emails done with before `before` (RFC 3339 UTC, as created_at is written):
  // delivered ones by when they were delivered, failed ones by when they were written (a failed
  // email was given up on within the retry policy's day or so). Queued emails stay whatever
  // their age. Gives how many were removed.
  virtual Result<int64_t> remove_finished_emails(const std::string& before) = 0;
};

}  // namespace townhall
