// Token buckets per key in a bounded table; see townhall/util/rate_limit.h.
#include "townhall/util/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace townhall {

RateLimiter::RateLimiter(RateLimit rule, size_t max_keys)
    : limit_(rule), max_keys_(std::max<size_t>(1, max_keys)), hash_key_(random_sip_key()) {}

double RateLimiter::tokens_at(const Bucket& b, int64_t now) const {
  const double per_second = static_cast<double>(limit_.limit) / static_cast<double>(std::max<int64_t>(1, limit_.window_seconds));
  const double elapsed = static_cast<double>(std::max<int64_t>(0, now - b.at));
  return std::min(static_cast<double>(limit_.limit), b.tokens + elapsed * per_second);
}

RateDecision RateLimiter::decide(double tokens) const {
  if (tokens >= 1.0) return {true, 0};
  const double per_second = static_cast<double>(limit_.limit) / static_cast<double>(std::max<int64_t>(1, limit_.window_seconds));
  const double wait = std::ceil((1.0 - tokens) / per_second);
  return {false, std::max<int64_t>(1, static_cast<int64_t>(wait))};
}

RateDecision RateLimiter::check(std::string_view key, int64_t now) const {
  if (limit_.limit <= 0) return {};
  const uint64_t h = siphash24(hash_key_, key);
  std::lock_guard lock(mu_);
  auto it = buckets_.find(h);
  return decide(it == buckets_.end() ? static_cast<double>(limit_.limit) : tokens_at(it->second, now));
}

RateDecision RateLimiter::take(std::string_view key, int64_t now) {
  if (limit_.limit <= 0) return {};
  const uint64_t h = siphash24(hash_key_, key);
  std::lock_guard lock(mu_);
  auto it = buckets_.find(h);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(h);
    it = buckets_.emplace(h, Bucket{static_cast<double>(limit_.limit), now, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Bucket& b = it->second;
  b.tokens = tokens_at(b, now);
  b.at = std::max(b.at, now);
  RateDecision d = decide(b.tokens);
  if (d.allowed) b.tokens -= 1.0;
  return d;
}

size_t RateLimiter::keys() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace townhall
