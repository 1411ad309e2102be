// townhall/selection/prng.h — the documented pseudo-random generator used for panel draws.
//
// xoshiro256** 1.0 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro256starstar.c), seeded
// from one 64-bit seed by expanding it with SplitMix64 into the 256-bit state, exactly as the
// authors recommend. Integers in [0, n) use rejection sampling on the top bits (no modulo bias);
// doubles in [0, 1) use the top 53 bits. The output depends only on the seed, never on the C++
// standard library, so a published seed reproduces a draw on any machine.
// Thread-safety: one generator per thread.
#pragma once

#include <cstdint>

namespace townhall::selection {

class Xoshiro256 {
 public:
  explicit Xoshiro256(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;  // SplitMix64
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n); n > 0.
  uint64_t below(uint64_t n) {
    if (n <= 1) return 0;
    int bits = 64 - __builtin_clzll(n - 1);
    while (true) {
      uint64_t v = next() >> (64 - bits);
      if (v < n) return v;
    }
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace townhall::selection
