#include "townhall/store/token.h"

#include <fstream>
#include <stdexcept>

#include "townhall/util/sha256.h"

namespace townhall {

std::string random_bytes(size_t n) {
  // Opened per call: cheap, and safe from any thread.
  std::ifstream dev("/dev/urandom", std::ios::binary);
  std::string out(n, '\0');
  if (!dev || !dev.read(out.data(), static_cast<std::streamsize>(n))) {
    throw std::runtime_error("cannot read /dev/urandom");
  }
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
  std::string bytes = random_bytes(5);
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  std::string chars;
  for (int i = 0; i < 8; ++i) {
    chars += kCrockford[v & 31U];
    v >>= 5;
  }
  return "TH-" + chars.substr(0, 4) + "-" + chars.substr(4, 4);
}

}  // namespace townhall
