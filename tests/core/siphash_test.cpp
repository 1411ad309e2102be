// SipHash-2-4 against the reference test vectors (key 00 01 .. 0f, message 00 01 .. len-1) from
// the SipHash paper (Aumasson & Bernstein 2012, appendix A) and its reference implementation.
#include "townhall/util/siphash.h"

#include <gtest/gtest.h>

#include <string>

using namespace townhall;

namespace {
SipKey reference_key() { return SipKey{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL}; }
std::string message(size_t n) {
  std::string m;
  for (size_t i = 0; i < n; ++i) m.push_back(static_cast<char>(i));
  return m;
}
}  // namespace

TEST(SipHash, ReferenceVectors) {
  EXPECT_EQ(siphash24(reference_key(), message(0)), 0x726fdb47dd0e0e31ULL);
  EXPECT_EQ(siphash24(reference_key(), message(1)), 0x74f839c593dc67fdULL);
  EXPECT_EQ(siphash24(reference_key(), message(15)), 0xa129ca6149be45e5ULL);  // the paper's example
}

TEST(SipHash, DependsOnTheKey) {
  SipKey other = reference_key();
  other.k1 ^= 1;
  EXPECT_NE(siphash24(reference_key(), "public\nkey-1"), siphash24(other, "public\nkey-1"));
  SipKey a = random_sip_key(), b = random_sip_key();
  EXPECT_FALSE(a.k0 == b.k0 && a.k1 == b.k1);
}
