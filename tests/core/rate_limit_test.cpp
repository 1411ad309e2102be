// Rate limits: token buckets per key, refused requests cost nothing, memory bounded whatever the
// number of keys, and one limit shared by many threads.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "townhall/util/rate_limit.h"

namespace townhall {
namespace {

TEST(RateLimiter, ABurstThenOneRequestPerIntervalAndRefusalsCostNothing) {
  RateLimiter l(RateLimit{5, 3600});  // 5 an hour: a burst of 5, then one every 12 minutes
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(l.take("203.0.113.9", 1000).allowed) << i;
  auto refused = l.take("203.0.113.9", 1000);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 720);
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(l.take("203.0.113.9", 1000 + i).allowed);  // refusals take nothing
  EXPECT_EQ(l.take("203.0.113.9", 1000 + 600).retry_after_seconds, 120);
  EXPECT_TRUE(l.take("203.0.113.9", 1000 + 720).allowed);
  EXPECT_FALSE(l.take("203.0.113.9", 1000 + 721).allowed);
  // Other keys have their own bucket; check() looks without taking.
  EXPECT_TRUE(l.check("198.51.100.1", 1000).allowed);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(l.take("198.51.100.1", 1000).allowed);
  EXPECT_FALSE(l.check("198.51.100.1", 1000).allowed);
  // Hours later the bucket is full again, and no fuller than the limit.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(l.take("203.0.113.9", 100000).allowed);
  EXPECT_FALSE(l.take("203.0.113.9", 100000).allowed);
}

TEST(RateLimiter, ALimitOfZeroLimitsNothing) {
  RateLimiter l(RateLimit{0, 3600});
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(l.take("x", 0).allowed);
  EXPECT_EQ(l.keys(), 0u);
}

// An attacker with a million addresses: the table stays at its bound, and the keys in use keep
// being limited (the longest unused is the one forgotten).
TEST(RateLimiter, MemoryStaysBoundedWhateverTheNumberOfKeys) {
  RateLimiter l(RateLimit{2, 3600}, 1000);
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(l.take("victim@example.org", 0).allowed);
  for (int i = 0; i < 1'000'000; ++i) {
    (void)l.take("attacker-" + std::to_string(i), 0);
    if (i % 500 == 0) {
      EXPECT_FALSE(l.take("victim@example.org", 0).allowed) << i;  // still limited: recently used
    }
    ASSERT_LE(l.keys(), 1000u);
  }
  EXPECT_EQ(l.keys(), 1000u);
}

TEST(RateLimiter, ManyThreadsShareOneLimitExactly) {
  RateLimiter l(RateLimit{1000, 1'000'000});
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) allowed += l.take("one client", 7).allowed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 1000);
}

}  // namespace
}  // namespace townhall
