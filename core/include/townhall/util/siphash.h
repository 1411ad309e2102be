// townhall/util/siphash.h — SipHash-2-4, a keyed 64-bit hash (Aumasson & Bernstein, 2012).
//
// For hash tables filled from untrusted input (e.g. the store's in-memory idempotency-key index):
// with a secret random key, nobody outside the process can craft many inputs with one hash value.
// Not a cryptographic digest; use sha256_hex for that.
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <string_view>

namespace townhall {

struct SipKey {
  uint64_t k0 = 0, k1 = 0;
};

// SipHash-2-4 of `data` under `key` (k0 = the key's first 8 bytes read little-endian, k1 the next 8).
uint64_t siphash24(const SipKey& key, std::string_view data);

// A key from the operating system's random source.
SipKey random_sip_key();

}  // namespace townhall
