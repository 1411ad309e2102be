#include "townhall/store/token.h"

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

std::string new_response_reference() {
  static const char* kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  // References are drawn on the hot path: take them from a per-thread pool of kernel random bytes
  // refilled 4 KiB at a time, instead of one system call per response.
  thread_local char pool[4096];
  thread_local size_t used = sizeof pool;
  if (used + 5 > sizeof pool) {
    fill_random(pool, sizeof pool);
    used = 0;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < 5; ++i) v = (v << 8) | static_cast<unsigned char>(pool[used + i]);
  used += 5;
  std::string chars;
  for (int i = 0; i < 8; ++i) {
    chars += kCrockford[v & 31U];
    v >>= 5;
  }
  return "TH-" + chars.substr(0, 4) + "-" + chars.substr(4, 4);
}

}  // namespace townhall
