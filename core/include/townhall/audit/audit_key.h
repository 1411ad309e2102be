// townhall/audit/audit_key.h — the council's audit key: a secret kept in a file OUTSIDE the
// database that seals the audit log (townhall/audit/audit.h), so that someone who can write the
// database file but cannot read the key can neither rewrite entries and recompute their hashes
// nor cut off the newest entries unnoticed.
//
// The key file holds one 32-byte secret as text ("townhall-audit-key/1 <64 hex digits>"), mode
// 0600, created with O_EXCL so an existing key is never replaced; a key file that group or others
// may read is refused, as ssh refuses such private keys. Two keys are derived from the secret
// with libsodium's crypto_kdf: an HMAC-SHA512-256 key (crypto_auth) that seals every entry's
// hash, and an Ed25519 key pair (crypto_sign) that signs anchors. The public key, 64 hex digits,
// names the key; the database records it when its log is first sealed.
//
// Beside the key, "<key file>.head" (the head mark) records the newest entry the key sealed: the
// entry's number and hash, sealed too. A database cannot show that its newest entries were
// deleted; the head mark can. It only ever moves forward, under an advisory lock on the key file,
// so several processes writing one database never move it back.
//
// Thread-safety: an AuditKey is immutable once loaded; every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "townhall/error.h"
#include "townhall/audit/audit.h"

namespace townhall {

// Where a database's audit key lives when no other file is given: beside it, as
// "<database path>.audit-key". A council that keeps the key elsewhere (readable only by the
// server's account, out of reach of whoever may edit the database) says so with --audit-key.
std::string default_audit_key_path(const std::string& database_path);

class AuditKey {
 public:
  // Reads the key file. kNotFound when there is none; kInvalidArgument (field = the path) when
  // it is malformed, not a regular file, or readable by group or others.
  static Result<std::shared_ptr<const AuditKey>> load(const std::string& path);
  // Makes a new key and writes it to `path` (mode 0600, flushed to disk). kConflict when the
  // file already exists: a key is never replaced.
  static Result<std::shared_ptr<const AuditKey>> create(const std::string& path);

  ~AuditKey();
  AuditKey(const AuditKey&) = delete;
  AuditKey& operator=(const AuditKey&) = delete;

  const std::string& path() const { return path_; }
  const std::string& public_key() const { return public_key_; }  // Ed25519, 64 hex digits
  std::string head_mark_path() const { return path_ + ".head"; }

  // HMAC-SHA512-256 of `text` under the sealing key, 64 hex digits.
  std::string seal(std::string_view text) const;
  // Constant-time check of a seal made by seal().
  bool seal_matches(std::string_view text, std::string_view seal_hex) const;
  // Ed25519 detached signature of `message`, 128 hex digits.
  std::string sign(std::string_view message) const;

  // The head mark: nullopt when the key has sealed no log yet; kInvalidArgument when the file is
  // unreadable, and kConflict when its seal does not match (it was edited, or copied from
  // another key).
  Result<std::optional<AuditHeadMark>> read_head_mark() const;
  // Records `mark` unless the head mark already names a later entry. The file is replaced
  // atomically (written beside it, then renamed).
  Status advance_head_mark(const AuditHeadMark& mark) const;

 private:
  struct Secret;
  AuditKey(std::string path, Secret* secret, std::string public_key);
  std::string path_;
  Secret* secret_;  // in sodium_malloc'd memory: locked in RAM, wiped when freed
  std::string public_key_;
};

// Which key a store opening its audit log uses, and whether it should seal the log now. Every
// store makes the same choice, so it is made here once.
struct AuditKeyChoice {
  std::shared_ptr<const AuditKey> key;  // null when none can be used
  std::string unavailable;              // why not, for the store to report ("" when `key` is set)
  bool seal_now = false;                // the log is not sealed yet and this key may seal it
};
// Loads the key at `path`; when there is none and `may_create` and the log is not sealed yet
// (`log_sealed` false), makes one (a key another process made a moment ago is loaded instead).
// When `may_seal` and the log is not sealed, the key seals it only if its head mark shows it
// seals no other log: one key's head mark cannot follow two logs.
AuditKeyChoice choose_audit_key(const std::string& path, bool may_create, bool may_seal, bool log_sealed);

// True when `signature_hex` is a valid Ed25519 signature of `message` by `public_key_hex`.
bool audit_signature_valid(std::string_view public_key_hex, std::string_view message,
                           std::string_view signature_hex);

}  // namespace townhall
