#include "townhall/access/token.h"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>

#include "townhall/util/sha256.h"

namespace townhall {

namespace {

// Exactly n bytes from the kernel's CSPRNG (the /dev/urandom source, via getrandom(2)).
void fill_random(char* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(out + got, n - got, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot read random bytes from the kernel (/dev/urandom)");
    }
    got += static_cast<size_t>(r);
  }
}

}  // namespace

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  fill_random(out.data(), n);
  return out;
}

std::string new_bearer_token() {
  static const char* kHex = "0123456789abcdef";
  std::string bytes = random_bytes(32);
  std::string out;
  out.reserve(64);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

std::string hash_token(std::string_view token) { return sha256_hex(token); }

std::string response_reference(int64_t serial) {
  static const char* kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  // The random part is drawn on the hot path: take it from a per-thread pool of kernel random
  // bytes refilled 4 KiB at a time, instead of one system call per response.
  thread_local char pool[4096];
  thread_local size_t used = sizeof pool;
  if (used + 3 > sizeof pool) {
    fill_random(pool, sizeof pool);
    used = 0;
  }
  uint32_t r = 0;
  for (size_t i = 0; i < 3; ++i) r = (r << 8) | static_cast<unsigned char>(pool[used + i]);
  used += 3;
  char serial_digits[16];
  size_t n = 0;
  auto v = static_cast<uint64_t>(serial < 0 ? 0 : serial);
  do {
    serial_digits[n++] = kCrockford[v & 31U];
    v >>= 5;
  } while (v != 0 || n < 4);
  std::string out = "TH-";
  out.reserve(3 + n + 5);
  while (n > 0) out += serial_digits[--n];
  out += '-';
  for (int shift = 15; shift >= 0; shift -= 5) out += kCrockford[(r >> shift) & 31U];
  return out;
}

}  // namespace townhall
