// townhall/access/password.h — staff passwords, kept only as Argon2id hashes (libsodium's
// crypto_pwhash_str: a memory-hard KDF with a random salt, its parameters inside the hash text).
//
// Hashing costs kPasswordMemoryBytes of memory and about a tenth of a second of CPU, on purpose;
// at most kConcurrentPasswordHashes run at once in a process (further callers wait), so a burst
// of sign-ins cannot take the server's memory.
// Thread-safety: all functions are thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "townhall/error.h"

namespace townhall {

// libsodium's "interactive" limits: 64 MiB and 2 passes.
inline constexpr size_t kPasswordMemoryBytes = 64u << 20;
inline constexpr size_t kConcurrentPasswordHashes = 2;
// A password is 12 to 256 characters of UTF-8 (NCSC: length, not composition rules; the upper
// bound keeps hashing cheap to refuse).
inline constexpr size_t kPasswordMinChars = 12;
inline constexpr size_t kPasswordMaxBytes = 1024;

// kInvalidArgument naming `field` when `password` is not one Townhall accepts for a new account.
Status check_new_password(std::string_view password, std::string_view field = "password");

// The Argon2id hash text of `password` ("$argon2id$v=19$m=65536,t=2,p=1$…"). kInternal when
// libsodium cannot allocate the memory.
Result<std::string> hash_password(std::string_view password);

// True when `password` matches `hash`. A hash that is not an Argon2 hash text matches nothing.
bool verify_password(const std::string& hash, std::string_view password);

// True when `hash` was made with other parameters than hash_password() uses now, so it should be
// replaced by a new hash at the next successful sign-in.
bool password_needs_rehash(const std::string& hash);

// A hash of a password nobody knows, to verify against when there is no account, so a sign-in
// with an unknown name takes as long as one with a wrong password.
const std::string& decoy_password_hash();

}  // namespace townhall
