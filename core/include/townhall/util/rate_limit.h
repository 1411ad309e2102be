// townhall/util/rate_limit.h — request limits per key (a client address, an email address), in
// bounded memory.
//
// Each key has a token bucket holding up to `limit` requests that refills at `limit` per
// `window_seconds`: a burst of `limit` is allowed, then one request every window/limit seconds.
// A refused request costs nothing. Keys are kept as keyed 64-bit hashes (SipHash with a random
// key, so nobody can make two keys collide on purpose) in a table of at most `max_keys` entries;
// when it is full the least recently used key is forgotten, which forgives it at worst — so an
// attacker with many addresses cannot grow the table, and one with more than `max_keys` of them
// can only get some of their own requests through.
// Thread-safety: every member function may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "townhall/util/siphash.h"

namespace townhall {

struct RateLimit {
  int64_t limit = 0;             // requests per window (and the largest burst); 0 = no limit
  int64_t window_seconds = 3600;
};

// What a limiter says about one more request.
struct RateDecision {
  bool allowed = true;
  int64_t retry_after_seconds = 0;  // when refused: seconds until one more request would fit (>= 1)
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit rule, size_t max_keys = 50000);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Whether a request for `key` at `now` (seconds, any monotone clock) fits, without taking it.
  RateDecision check(std::string_view key, int64_t now) const;
  // The same, and takes the request when it fits.
  RateDecision take(std::string_view key, int64_t now);

  const RateLimit& limit() const { return limit_; }
  size_t keys() const;  // entries held now (at most max_keys)

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at = 0;  // when `tokens` was computed
    std::list<uint64_t>::iterator lru;
  };
  double tokens_at(const Bucket& b, int64_t now) const;
  RateDecision decide(double tokens) const;

  const RateLimit limit_;
  const size_t max_keys_;
  const SipKey hash_key_;
  mutable std::mutex mu_;
  std::unordered_map<uint64_t, Bucket> buckets_;
  std::list<uint64_t> lru_;  // most recently used first
};

}  // namespace townhall
