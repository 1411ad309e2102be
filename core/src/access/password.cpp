// Staff passwords through libsodium's crypto_pwhash_str (Argon2id).
#include "townhall/access/password.h"

#include <sodium.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "townhall/access/token.h"
#include "townhall/util/utf8.h"

namespace townhall {
namespace {

void init_sodium() {
  static const int ready = sodium_init();
  if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

// Each hash takes kPasswordMemoryBytes: only a few at a time.
class HashSlots {
 public:
  void acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return used_ < kConcurrentPasswordHashes; });
    ++used_;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      --used_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t used_ = 0;
};

HashSlots& slots() {
  static HashSlots s;
  return s;
}

struct SlotGuard {
  SlotGuard() { slots().acquire(); }
  ~SlotGuard() { slots().release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
};

}  // namespace

Status check_new_password(std::string_view password, std::string_view field) {
  if (!is_valid_utf8(password)) return invalid_argument(std::string(field), "the password is not valid UTF-8");
  if (password.size() > kPasswordMaxBytes) {
    return invalid_argument(std::string(field), "the password is longer than " + std::to_string(kPasswordMaxBytes) + " bytes");
  }
  if (count_code_points(password) < kPasswordMinChars) {
    return invalid_argument(std::string(field),
                            "the password must be at least " + std::to_string(kPasswordMinChars) + " characters long");
  }
  return Status::Ok();
}

Result<std::string> hash_password(std::string_view password) {
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  SlotGuard slot;
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Error{ErrorCode::kInternal, "password", "not enough memory to hash the password"};
  }
  return std::string(out);
}

bool verify_password(const std::string& hash, std::string_view password) {
  init_sodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  SlotGuard slot;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(const std::string& hash) {
  init_sodium();
  return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

const std::string& decoy_password_hash() {
  static const std::string hash = [] {
    auto h = hash_password(new_bearer_token());
    if (!h) throw std::runtime_error(h.error().message);
    return *h;
  }();
  return hash;
}

}  // namespace townhall
