// townhall/util/sha256.h — SHA-256 digests (OpenSSL libcrypto), hex-encoded.
//
// Used for panel-draw commitments, the audit log hash chain and stored token hashes.
// Thread-safety: Sha256 objects are not shared; the free function is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace townhall {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Incremental hashing for large inputs.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex_digest();  // finishes; the object must not be updated afterwards

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace townhall
