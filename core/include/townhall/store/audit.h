// townhall/store/audit.h — the append-only, hash-chained audit log (DESIGN.md §5).
//
// Each entry records who did what to which subject. Its hash is
//   SHA-256(previous entry's hash + "\n" + canonical entry)
// where the canonical entry is the JSON object {seq, at, actor, action, subject_kind, subject_id,
// detail} serialised with sorted keys and no whitespace, and the first entry's previous hash is 64
// zeros. Editing any field of any entry, deleting an entry or reordering entries breaks the chain
// from that entry on; verify_audit_chain() names the first bad entry. The store also keeps the
// head (last seq and hash) so deleting the newest entries is detected too.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace townhall {

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

  nlohmann::json to_json() const;
};

inline const std::string kAuditGenesisHash(64, '0');

// The canonical text the hash covers (without the previous hash).
std::string audit_canonical(int64_t seq, const std::string& at, const AuditEvent& event);
// SHA-256(prev_hash + "\n" + canonical).
std::string audit_hash(const std::string& prev_hash, int64_t seq, const std::string& at,
                       const AuditEvent& event);

struct AuditVerification {
  bool ok = true;
  int64_t entries = 0;                   // entries checked
  std::optional<int64_t> first_bad_seq;  // the first entry that fails (or the missing one)
  std::string problem;                   // plain English
};

// Checks entries (in stored order) against each other and against the recorded head
// (`head_seq` 0 and `head_hash` empty mean "no entries were ever written").
AuditVerification verify_audit_chain(const std::vector<AuditEntry>& entries, int64_t head_seq,
                                     const std::string& head_hash);

// Current instant as RFC 3339 UTC with seconds ("...Z").
std::string now_rfc3339_utc();

}  // namespace townhall
