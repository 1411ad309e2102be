// Delivering the outbox (townhall/mail/delivery.h) over every store backend (store_backends.h),
// with a transport that answers as each test says: when an email is sent, when it waits, when it
// is given up, and that two workers on one database never send the same email twice.
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

#include "store_backends.h"
#include "townhall/mail/delivery.h"

namespace townhall {
namespace {

// The delivery tests run on every store backend.
class MailDelivery : public testing_store::StoreConformance {};

// Answers by recipient: "busy@" transiently, "gone@" permanently, anyone else accepted. Counts
// every attempt per email id.
class ScriptedTransport : public MailTransport {
 public:
  std::string describe() const override { return "scripted"; }
  SendOutcome send(const OutboxEmail& e) override {
    {
      std::lock_guard lock(mu);
      ++sent[e.id];
    }
    if (e.to.rfind("busy@", 0) == 0) return {SendOutcome::Kind::kTransient, "", "451 try later"};
    if (e.to.rfind("gone@", 0) == 0) return {SendOutcome::Kind::kPermanent, "", "550 no such mailbox"};
    return {SendOutcome::Kind::kAccepted, "ref-" + std::to_string(e.id), ""};
  }
  std::mutex mu;
  std::map<int64_t, int> sent;
};

OutboxEmail email_to(const std::string& to) {
  OutboxEmail e;
  e.to = to;
  e.subject = "Your sign-in link";
  e.body = "https://example.gov.uk/en-GB/panel/sign-in/secret\n";
  return e;
}

OutboxEmail find(Store& store, int64_t id) {
  auto all = store.outbox();
  if (!all) {
    ADD_FAILURE() << all.error().describe();
    return {};
  }
  for (const auto& e : *all) {
    if (e.id == id) return e;
  }
  ADD_FAILURE() << "no email " << id;
  return {};
}

TEST(MailRetry, WaitsDoubleFromAMinuteUpToSixHours) {
  RetryPolicy p;  // 60 s first, doubling, at most 6 h = 21,600 s
  EXPECT_EQ(retry_wait_seconds(p, 1), 60);
  EXPECT_EQ(retry_wait_seconds(p, 2), 120);
  EXPECT_EQ(retry_wait_seconds(p, 3), 240);
  EXPECT_EQ(retry_wait_seconds(p, 8), 60 * 128);   // 7,680 s
  EXPECT_EQ(retry_wait_seconds(p, 9), 60 * 256);   // 15,360 s
  EXPECT_EQ(retry_wait_seconds(p, 10), 21600);     // 30,720 s would pass the ceiling
  EXPECT_EQ(retry_wait_seconds(p, 1000), 21600);   // no overflow however many
}

TEST_P(MailDelivery, AcceptedEmailsAreDeliveredWithTheServicesReference) {
  store = open();
  const int64_t a = store->add_outbox_email(email_to("ada@example.org")).value();
  const int64_t b = store->add_outbox_email(email_to("bo@example.org")).value();
  EXPECT_EQ(find(*store, a).state, DeliveryState::kQueued);
  ScriptedTransport t;
  auto round = deliver_due(*store, t, 1'800'000'000);
  ASSERT_TRUE(round.ok()) << round.error().describe();
  EXPECT_EQ(round->delivered, 2);
  for (int64_t id : {a, b}) {
    OutboxEmail e = find(*store, id);
    EXPECT_EQ(e.state, DeliveryState::kDelivered);
    EXPECT_EQ(e.attempts, 1);
    EXPECT_EQ(e.reference, "ref-" + std::to_string(id));
    EXPECT_FALSE(e.delivered_at.empty());
  }
  // Nothing is sent twice.
  ASSERT_TRUE(deliver_due(*store, t, 1'800'000'100).ok());
  EXPECT_EQ(t.sent[a], 1);
  EXPECT_EQ(t.sent[b], 1);
}

TEST_P(MailDelivery, ARefusalForGoodFailsAtOnceWithItsReason) {
  store = open();
  const int64_t id = store->add_outbox_email(email_to("gone@example.org")).value();
  ScriptedTransport t;
  auto round = deliver_due(*store, t, 1'800'000'000);
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->failed, 1);
  OutboxEmail e = find(*store, id);
  EXPECT_EQ(e.state, DeliveryState::kFailed);
  EXPECT_EQ(e.last_error, "550 no such mailbox");
  ASSERT_TRUE(deliver_due(*store, t, 1'900'000'000).ok());
  EXPECT_EQ(t.sent[id], 1);
}

TEST_P(MailDelivery, ARefusalForNowWaitsItsTurnAndGivesUpAfterTheLastAttempt) {
  store = open();
  const int64_t id = store->add_outbox_email(email_to("busy@example.org")).value();
  ScriptedTransport t;
  RetryPolicy p;
  int64_t now = 1'800'000'000;
  // Each attempt after the wait the policy gives: 60, 120, 240, ... seconds.
  for (int attempt = 1; attempt <= p.max_attempts; ++attempt) {
    auto round = deliver_due(*store, t, now);
    ASSERT_TRUE(round.ok());
    EXPECT_EQ(t.sent[id], attempt);
    OutboxEmail e = find(*store, id);
    EXPECT_EQ(e.attempts, attempt);
    if (attempt < p.max_attempts) {
      EXPECT_EQ(e.state, DeliveryState::kQueued);
      const int64_t wait = int64_t{60} << (attempt - 1);
      EXPECT_EQ(e.next_attempt_at, now + wait) << attempt;
      // A second early is still too early.
      ASSERT_TRUE(deliver_due(*store, t, now + wait - 1).ok());
      EXPECT_EQ(t.sent[id], attempt);
      now += wait;
    } else {
      EXPECT_EQ(e.state, DeliveryState::kFailed);
      EXPECT_EQ(e.last_error, "451 try later");
    }
  }
  ASSERT_TRUE(deliver_due(*store, t, now + 1'000'000).ok());
  EXPECT_EQ(t.sent[id], p.max_attempts);
}

TEST_P(MailDelivery, AClaimedEmailIsLeasedAndTriedAgainWhenItsSenderStopped) {
  store = open();
  const int64_t id = store->add_outbox_email(email_to("ada@example.org")).value();
  const int64_t now = 1'800'000'000;
  // A worker claims it and dies before saying what happened.
  auto claimed = store->claim_due_emails(now, 10, 300);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].attempts, 1);
  ScriptedTransport t;
  // While the lease runs, nobody else sends it.
  ASSERT_TRUE(deliver_due(*store, t, now + 299).ok());
  EXPECT_EQ(t.sent[id], 0);
  // After it, another worker does, as its second attempt.
  ASSERT_TRUE(deliver_due(*store, t, now + 300).ok());
  EXPECT_EQ(t.sent[id], 1);
  EXPECT_EQ(find(*store, id).state, DeliveryState::kDelivered);
  EXPECT_EQ(find(*store, id).attempts, 2);
}

TEST_P(MailDelivery, TwoWorkersOnOneDatabaseSendEachEmailOnce) {
  auto first = open();
  auto second = open();  // another server's connection to the same database
  constexpr int kEmails = 200;
  for (int i = 0; i < kEmails; ++i) {
    ASSERT_TRUE(first->add_outbox_email(email_to("p" + std::to_string(i) + "@example.org")).ok());
  }
  ScriptedTransport t;
  RetryPolicy small;
  small.batch = 7;  // many claims each, interleaved
  std::atomic<int> delivered{0};
  auto work = [&](Store& s) {
    auto r = deliver_due(s, t, 1'800'000'000, small);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    delivered += r->delivered;
  };
  std::thread a(work, std::ref(*first));
  std::thread b(work, std::ref(*second));
  a.join();
  b.join();
  EXPECT_EQ(delivered.load(), kEmails);
  ASSERT_EQ(t.sent.size(), static_cast<size_t>(kEmails));
  for (const auto& [id, times] : t.sent) EXPECT_EQ(times, 1) << "email " << id;
}

TEST_P(MailDelivery, AnEmailWhoseLastAttemptGotNoAnswerIsFailedNotSentAgain) {
  store = open();
  const int64_t id = store->add_outbox_email(email_to("ada@example.org")).value();
  RetryPolicy p;
  p.max_attempts = 2;
  int64_t now = 1'800'000'000;
  // Two claims whose senders both died: the second was the last attempt.
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(store->claim_due_emails(now, 10, 300)->size(), 1u);
    now += 300;
  }
  ScriptedTransport t;
  auto round = deliver_due(*store, t, now, p);
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->failed, 1);
  EXPECT_EQ(t.sent[id], 0);
  EXPECT_EQ(find(*store, id).state, DeliveryState::kFailed);
}

// An email done with (delivered, or failed for good) is removed once the retention period has
// passed since then; one still waiting to be sent stays however old it is.
TEST_P(MailDelivery, FinishedEmailsAreRemovedAfterTheRetentionPeriodAndQueuedOnesStay) {
  store = open();
  const int64_t delivered = store->add_outbox_email(email_to("ada@example.org")).value();
  const int64_t failed = store->add_outbox_email(email_to("gone@example.org")).value();
  const int64_t queued = store->add_outbox_email(email_to("busy@example.org")).value();
  ScriptedTransport t;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  ASSERT_TRUE(deliver_due(*store, t, now).ok());
  ASSERT_EQ(find(*store, delivered).state, DeliveryState::kDelivered);
  ASSERT_EQ(find(*store, failed).state, DeliveryState::kFailed);
  ASSERT_EQ(find(*store, queued).state, DeliveryState::kQueued);
  constexpr int64_t kDay = 86400;
  // Within 30 days nothing goes.
  auto kept = remove_expired_emails(*store, now + 29 * kDay, 30);
  ASSERT_TRUE(kept.ok()) << kept.error().describe();
  EXPECT_EQ(*kept, 0);
  EXPECT_EQ(store->outbox()->size(), 3u);
  // After 30 days the delivered and the failed ones go; the queued one stays.
  auto removed = remove_expired_emails(*store, now + 31 * kDay, 30);
  ASSERT_TRUE(removed.ok()) << removed.error().describe();
  EXPECT_EQ(*removed, 2);
  auto left = store->outbox();
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, queued);
  // A period shorter than a day is refused, naming it, and removes nothing.
  auto refused = remove_expired_emails(*store, now + 400 * kDay, 0);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "retention_days");
  EXPECT_EQ(store->outbox()->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, MailDelivery, ::testing::Values("sqlite", "postgresql"),
                         testing_store::backend_name);

}  // namespace
}  // namespace townhall
