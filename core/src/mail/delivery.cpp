#include "townhall/mail/delivery.h"

#include <algorithm>
#include <ctime>

namespace townhall {

const char* delivery_state_id(DeliveryState state) {
  switch (state) {
    case DeliveryState::kQueued: return "queued";
    case DeliveryState::kDelivered: return "delivered";
    case DeliveryState::kFailed: return "failed";
  }
  return "queued";
}

int64_t retry_wait_seconds(const RetryPolicy& policy, int attempts) {
  int64_t wait = std::max<int64_t>(policy.first_wait_seconds, 1);
  for (int i = 1; i < attempts && wait < policy.longest_wait_seconds; ++i) wait *= 2;
  return std::min(wait, std::max(policy.longest_wait_seconds, policy.first_wait_seconds));
}

Result<DeliveryRound> deliver_due(MailOutbox& outbox, MailTransport& transport, int64_t now,
                                  const RetryPolicy& policy,
                                  const std::function<void(const std::string&)>& log) {
  auto say = [&](const std::string& line) {
    if (log) log(line);
  };
  // A lease shorter than a second would hand the same email out again within this round.
  const int64_t lease = std::max<int64_t>(policy.lease_seconds, 1);
  const int batch = std::max(policy.batch, 1);
  const int max_attempts = std::max(policy.max_attempts, 1);
  DeliveryRound round;
  for (;;) {
    auto due = outbox.claim_due_emails(now, batch, lease);
    if (!due) return due.error();
    if (due->empty()) return round;
    for (const OutboxEmail& email : *due) {
      const std::string which = "email " + std::to_string(email.id);
      if (email.attempts > max_attempts) {
        // Claimed again after its last attempt's sender stopped without an answer.
        if (auto st = outbox.record_failed_attempt(email.id, "no answer to the last attempt", std::nullopt); !st) {
          return st.error();
        }
        ++round.failed;
        say(which + ": failed for good (no answer to the last attempt)");
        continue;
      }
      SendOutcome outcome = transport.send(email);
      if (outcome.kind == SendOutcome::Kind::kAccepted) {
        if (auto st = outbox.record_delivered(email.id, outcome.reference); !st) return st.error();
        ++round.delivered;
        say(which + ": delivered" + (outcome.reference.empty() ? "" : " (" + outcome.reference + ")"));
        continue;
      }
      const bool give_up = outcome.kind == SendOutcome::Kind::kPermanent || email.attempts >= max_attempts;
      std::optional<int64_t> retry_at;
      if (!give_up) retry_at = now + retry_wait_seconds(policy, email.attempts);
      if (auto st = outbox.record_failed_attempt(email.id, outcome.error, retry_at); !st) return st.error();
      if (give_up) {
        ++round.failed;
        say(which + ": failed for good after " + std::to_string(email.attempts) +
            (email.attempts == 1 ? " attempt: " : " attempts: ") + outcome.error);
      } else {
        ++round.retrying;
        say(which + ": attempt " + std::to_string(email.attempts) + " failed (" + outcome.error + "); trying again in " +
            std::to_string(*retry_at - now) + " s");
      }
    }
  }
}

Result<int64_t> remove_expired_emails(MailOutbox& outbox, int64_t now, int retention_days) {
  if (retention_days < 1) {
    return Error{ErrorCode::kInvalidArgument, "retention_days", "the outbox must keep emails for at least a day"};
  }
  const std::time_t cutoff = static_cast<std::time_t>(now - static_cast<int64_t>(retention_days) * 86400);
  std::tm utc{};
  gmtime_r(&cutoff, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return outbox.remove_finished_emails(text);
}

}  // namespace townhall
