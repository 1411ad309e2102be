// townhall/mail/delivery.h — sending the outbox: which emails are due, how long to wait after a
// failure, and when to give up.
//
// A failed attempt that may succeed later (the mail service is down or busy) waits before the
// next one, twice as long each time up to a ceiling; after the last attempt, or at once when the
// service refuses the email for good, it is marked failed with the reason, so staff can see what
// never arrived. An email is never sent twice by the worker unless the service failed to answer
// whether it took it (SMTP gives no way to ask).
// Thread-safety: deliver_due may run on several threads or servers at once against one outbox;
// the outbox's leases keep them from sending the same email.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "townhall/mail/outbox.h"
#include "townhall/mail/transport.h"

namespace townhall {

struct RetryPolicy {
  int max_attempts = 8;            // then the email is failed for good
  int64_t first_wait_seconds = 60;  // after the first failure; doubled after each further one
  int64_t longest_wait_seconds = 6 * 3600;
  int64_t lease_seconds = 300;     // how long a claimed email is kept from other workers
  int batch = 50;                  // emails claimed at a time
};

// Seconds to wait after the `attempts`-th failed attempt (1 = the first): first_wait_seconds,
// doubled for each attempt after the first, never more than longest_wait_seconds.
int64_t retry_wait_seconds(const RetryPolicy& policy, int attempts);

// What one round of delivery did.
struct DeliveryRound {
  int delivered = 0;
  int retrying = 0;  // failed this time, queued again
  int failed = 0;    // failed for good this time
};

// Sends every email due on `now` (Unix seconds) through `transport`, batch by batch, until none
// is due, recording each outcome in the outbox. `log` (when given) gets one line per email.
// Stops early with the outbox's error when it cannot be read or written.
Result<DeliveryRound> deliver_due(MailOutbox& outbox, MailTransport& transport, int64_t now,
                                  const RetryPolicy& policy = {},
                                  const std::function<void(const std::string&)>& log = {});

// How long the outbox keeps an email once it is done with (delivered, or failed for good): it
// holds a person's address and, often, a link, and is kept only for staff to see what arrived.
inline constexpr int kDefaultOutboxRetentionDays = 30;

// Removes the emails done with more than `retention_days` days before `now` (Unix seconds); queued
// ones stay. Gives how many were removed; an error for retention_days < 1.
Result<int64_t> remove_expired_emails(MailOutbox& outbox, int64_t now, int retention_days = kDefaultOutboxRetentionDays);

}  // namespace townhall
