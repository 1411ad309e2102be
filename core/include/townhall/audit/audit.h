// townhall/audit/audit.h — the append-only, hash-chained, sealed audit log (docs/design.md §5).
//
// Each entry records who did what to which subject. Its hash is
//   SHA-256(previous entry's hash + "\n" + canonical entry)
// where the canonical entry is the JSON object {seq, at, actor, action, subject_kind, subject_id,
// detail} serialised with sorted keys and no whitespace, and the first entry's previous hash is 64
// zeros. Editing any field of any entry, deleting an entry or reordering entries breaks the chain
// from that entry on; verify_audit_chain() names the first bad entry. The store also keeps the
// head (last seq and hash) so deleting the newest entries is detected too.
//
// The hashes alone stop no one who can write the database: they can be recomputed after an edit,
// and the head moved back after a deletion. So the log is also SEALED with the council's audit
// key (townhall/audit/audit_key.h), a secret kept outside the database: from a recorded entry on
// (the first entry written after the log met its key — earlier entries of an upgraded database
// keep only their hashes), every entry carries
//   seal = HMAC-SHA512-256(key, "townhall-audit-entry/1\n" + seq + "\n" + hash)
// and the key's head mark records the newest entry sealed. verify_audit_log() checks all three:
// the chain, the seals, and that the log still reaches the head mark.
//
// Anchors let a council prove the log to anyone: an anchor is the head (entry number and hash)
// and the time, signed with the audit key's Ed25519 key, as one line of text to publish in the
// Forward Plan or the minutes. Whoever holds the database and an anchor can check that the log
// still extends it, even against someone who holds the key: rewriting any entry up to the
// anchored one changes the anchored hash, and deleting entries loses it.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"

namespace townhall {

class AuditKey;

// What a caller asks to record.
struct AuditEvent {
  std::string actor;         // "user:3 (Ada, officer)" or "system"
  std::string action;        // "consultation.transition", "consultation.exception", ...
  std::string subject_kind;  // "consultation", "key_decision", "user", ...
  std::string subject_id;
  nlohmann::json detail = nlohmann::json::object();
};

struct AuditEntry {
  int64_t seq = 0;           // 1, 2, 3, ... without gaps
  std::string at;            // RFC 3339 UTC instant, e.g. 2026-11-25T03:40:59Z
  AuditEvent event;
  std::string prev_hash;     // 64 hex characters
  std::string hash;          // 64 hex characters
  std::string seal;          // 64 hex characters; empty when the entry was written without the key

  nlohmann::json to_json() const;
};

inline const std::string kAuditGenesisHash(64, '0');

// The canonical text the hash covers (without the previous hash).
std::string audit_canonical(int64_t seq, const std::string& at, const AuditEvent& event);
// SHA-256(prev_hash + "\n" + canonical).
std::string audit_hash(const std::string& prev_hash, int64_t seq, const std::string& at,
                       const AuditEvent& event);
// The text an entry's seal covers.
std::string audit_seal_text(int64_t seq, const std::string& hash);

// The database's record of the key its log is sealed with, itself sealed.
struct AuditSealing {
  std::string public_key;  // the audit key's public key (64 hex)
  int64_t sealed_from = 0; // the first sealed entry
  std::string sealed_at;   // RFC 3339 UTC
  std::string seal;        // over audit_sealing_text()
};
std::string audit_sealing_text(const AuditSealing& sealing);

enum class AuditState {
  kIntact,      // every check passed
  kBroken,      // an entry was altered, deleted or reordered, or a seal does not match
  kUnverified,  // the hashes hold, but the seals could not be checked (no key, wrong key, ...)
};
// "ok", "broken", "unverified": the words /health and `townhall audit verify --json` use.
const char* audit_state_id(AuditState state);

struct AuditVerification {
  AuditState state = AuditState::kIntact;
  bool ok = true;                        // state == kIntact
  int64_t entries = 0;                   // entries checked
  std::optional<int64_t> first_bad_seq;  // the first entry that fails (or the missing one)
  std::string problem;                   // plain English; empty when intact
  int64_t head_seq = 0;                  // the newest entry (when the chain holds)
  std::string head_hash;
  std::optional<int64_t> sealed_from;    // the first sealed entry, when the log is sealed
  std::string public_key;                // the key the log is sealed with ("" when it is not)
};

// Checks entries (in stored order) against each other and against the recorded head
// (`head_seq` 0 and `head_hash` empty mean "no entries were ever written"). Hashes only.
AuditVerification verify_audit_chain(const std::vector<AuditEntry>& entries, int64_t head_seq,
                                     const std::string& head_hash);

// The newest entry an audit key has sealed in its log (kept beside the key: audit_key.h).
struct AuditHeadMark {
  int64_t sealed_from = 0;  // the first entry of the log sealed with this key
  int64_t seq = 0;          // the newest entry sealed (sealed_from - 1 before any was)
  std::string hash;         // its hash ("" when the log had no entries)
};

// What the verifier knows of the audit key.
struct AuditKeyView {
  const AuditKey* key = nullptr;  // null when it could not be loaded
  std::string unavailable;        // why not, naming the file (when key is null)
  // The key's head mark, read BEFORE the entries (it only moves after a commit, so it can never
  // be ahead of a snapshot taken after it): nullopt = none yet; an error = unreadable or forged.
  Result<std::optional<AuditHeadMark>> head_mark = Error{};
};

// The whole check: the chain, then — when the log is sealed and its key is at hand — every seal
// from the first sealed entry on, the sealing record, and that the log still reaches the key's
// head mark. Broken wins over unverified; the first problem found is reported.
AuditVerification verify_audit_log(const std::vector<AuditEntry>& entries, int64_t head_seq,
                                   const std::string& head_hash, const std::optional<AuditSealing>& sealing,
                                   const AuditKeyView& key);

// A signed head to publish. Its text is one line:
//   townhall-audit-anchor/1 entry=57 hash=<64 hex> at=2026-12-06T10:00:00Z key=<64 hex> sig=<128 hex>
struct AuditAnchor {
  int64_t seq = 0;
  std::string hash;
  std::string at;          // when the anchor was made
  std::string public_key;  // the audit key's public key
  std::string signature;   // Ed25519 over signed_text()

  std::string signed_text() const;
  std::string text() const;
  nlohmann::json to_json() const;
};

// Signs the head `seq`/`hash` now.
AuditAnchor make_audit_anchor(const AuditKey& key, int64_t seq, const std::string& hash);

// Every anchor line found in `text` (minutes or a Forward Plan may carry several, among other
// words). kInvalidArgument naming the field when a line is malformed, and when there is none.
Result<std::vector<AuditAnchor>> parse_audit_anchors(std::string_view text);

struct AnchorCheck {
  bool ok = false;
  std::string problem;  // plain English; empty when ok
};
// Checks that the log extends the anchor: the signature is the anchor key's, the key is the one
// the log is sealed with (when it is sealed), and the log's entry `seq` has the anchored hash.
// `log` is a verification of `entries`: the chain must hold up to the anchored entry.
AnchorCheck check_audit_anchor(const std::vector<AuditEntry>& entries, const AuditVerification& log,
                               const AuditAnchor& anchor);

// Current instant as RFC 3339 UTC with seconds ("...Z").
std::string now_rfc3339_utc();
// The instant `unix_seconds` as RFC 3339 UTC ("2026-12-07T14:03:00Z").
std::string rfc3339_utc(int64_t unix_seconds);

}  // namespace townhall
