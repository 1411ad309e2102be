#include "townhall/audit/audit.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <ctime>

#include "townhall/audit/audit_key.h"
#include "townhall/util/sha256.h"

namespace townhall {

nlohmann::json AuditEntry::to_json() const {
  return {{"seq", seq},
          {"at", at},
          {"actor", event.actor},
          {"action", event.action},
          {"subject_kind", event.subject_kind},
          {"subject_id", event.subject_id},
          {"detail", event.detail},
          {"prev_hash", prev_hash},
          {"hash", hash},
          {"seal", seal.empty() ? nlohmann::json(nullptr) : nlohmann::json(seal)}};
}

std::string audit_canonical(int64_t seq, const std::string& at, const AuditEvent& event) {
  // nlohmann::json objects are std::map based: keys come out sorted, so dump() is canonical.
  nlohmann::json j = {{"seq", seq},
                      {"at", at},
                      {"actor", event.actor},
                      {"action", event.action},
                      {"subject_kind", event.subject_kind},
                      {"subject_id", event.subject_id},
                      {"detail", event.detail}};
  return j.dump();
}

std::string audit_hash(const std::string& prev_hash, int64_t seq, const std::string& at,
                       const AuditEvent& event) {
  return sha256_hex(prev_hash + "\n" + audit_canonical(seq, at, event));
}

std::string audit_seal_text(int64_t seq, const std::string& hash) {
  return "townhall-audit-entry/1\n" + std::to_string(seq) + "\n" + hash;
}

std::string audit_sealing_text(const AuditSealing& sealing) {
  return "townhall-audit-sealing/1\n" + sealing.public_key + "\n" + std::to_string(sealing.sealed_from) + "\n" +
         sealing.sealed_at;
}

const char* audit_state_id(AuditState state) {
  switch (state) {
    case AuditState::kIntact: return "ok";
    case AuditState::kBroken: return "broken";
    case AuditState::kUnverified: return "unverified";
  }
  return "broken";
}

AuditVerification verify_audit_chain(const std::vector<AuditEntry>& entries, int64_t head_seq,
                                     const std::string& head_hash) {
  AuditVerification v;
  auto fail = [&](int64_t seq, std::string problem) {
    v.state = AuditState::kBroken;
    v.ok = false;
    v.first_bad_seq = seq;
    v.problem = std::move(problem);
    return v;
  };
  std::string prev = kAuditGenesisHash;
  int64_t expected = 1;
  for (const auto& e : entries) {
    if (e.seq != expected) {
      return fail(expected, "audit entry " + std::to_string(expected) + " is missing (next entry is " +
                                std::to_string(e.seq) + ")");
    }
    if (e.prev_hash != prev) {
      return fail(e.seq, "audit entry " + std::to_string(e.seq) +
                             " does not follow the entry before it (previous hash differs)");
    }
    if (audit_hash(e.prev_hash, e.seq, e.at, e.event) != e.hash) {
      return fail(e.seq, "audit entry " + std::to_string(e.seq) +
                             " was altered (its content no longer matches its hash)");
    }
    prev = e.hash;
    ++expected;
    ++v.entries;
  }
  int64_t last = expected - 1;
  if (head_seq > last) {
    return fail(last + 1, "audit entry " + std::to_string(last + 1) + " is missing (the log recorded " +
                              std::to_string(head_seq) + " entries)");
  }
  if (head_seq < last || (head_seq > 0 && head_hash != prev)) {
    return fail(head_seq < last ? head_seq + 1 : last,
                "the audit log's recorded head (entry " + std::to_string(head_seq) +
                    ") does not match its entries");
  }
  v.head_seq = last;
  v.head_hash = last > 0 ? prev : std::string();
  return v;
}

namespace {

AuditVerification& set_state(AuditVerification& v, AuditState state, std::optional<int64_t> seq, std::string problem) {
  v.state = state;
  v.ok = state == AuditState::kIntact;
  v.first_bad_seq = seq;
  v.problem = std::move(problem);
  return v;
}

bool is_hex(std::string_view s, size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// "2026-12-06T10:00:00Z", as now_rfc3339_utc() writes it.
bool is_utc_instant(std::string_view s) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != kShape.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (kShape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != kShape[i]) return false;
  }
  return true;
}

constexpr std::string_view kAnchorHeader = "townhall-audit-anchor/1";

}  // namespace

AuditVerification verify_audit_log(const std::vector<AuditEntry>& entries, int64_t head_seq,
                                   const std::string& head_hash, const std::optional<AuditSealing>& sealing,
                                   const AuditKeyView& key) {
  AuditVerification v = verify_audit_chain(entries, head_seq, head_hash);
  if (sealing) {
    v.sealed_from = sealing->sealed_from;
    v.public_key = sealing->public_key;
  }
  if (v.state == AuditState::kBroken) return v;
  const AuditKey* k = key.key;
  const bool has_mark = k != nullptr && key.head_mark.ok() && key.head_mark->has_value();
  if (!sealing) {
    if (has_mark) {
      const AuditHeadMark& m = **key.head_mark;
      return set_state(v, AuditState::kBroken, m.sealed_from,
                       "the log has no record of its audit key, yet the key at " + k->path() +
                           " sealed a log from entry " + std::to_string(m.sealed_from) + " up to entry " +
                           std::to_string(m.seq) +
                           ": the record and the seals were removed, or the key belongs to another database");
    }
    if (k == nullptr) {
      return set_state(v, AuditState::kUnverified, std::nullopt,
                       "the log is not sealed with an audit key (" + key.unavailable + ")");
    }
    return set_state(v, AuditState::kUnverified, std::nullopt,
                     "the log is not sealed yet: the next writing Townhall command seals it with the key at " +
                         k->path());
  }
  if (k == nullptr) {
    return set_state(v, AuditState::kUnverified, std::nullopt, "the seals cannot be checked: " + key.unavailable);
  }
  if (k->public_key() != sealing->public_key) {
    return set_state(v, AuditState::kUnverified, std::nullopt,
                     "the audit key at " + k->path() + " (public key " + k->public_key().substr(0, 16) +
                         "…) is not the key this log is sealed with (public key " +
                         sealing->public_key.substr(0, 16) + "…)");
  }
  if (!k->seal_matches(audit_sealing_text(*sealing), sealing->seal)) {
    return set_state(v, AuditState::kBroken, sealing->sealed_from, "the log's record of its audit key was altered");
  }
  std::optional<int64_t> first_unsealed;
  for (const auto& e : entries) {
    if (e.seq < sealing->sealed_from) continue;
    if (e.seal.empty()) {
      if (!first_unsealed) first_unsealed = e.seq;
      continue;
    }
    if (!k->seal_matches(audit_seal_text(e.seq, e.hash), e.seal)) {
      return set_state(v, AuditState::kBroken, e.seq,
                       "audit entry " + std::to_string(e.seq) +
                           " does not carry the audit key's seal of its hash: it was altered and its hashes recomputed");
    }
  }
  std::string mark_problem;
  if (!key.head_mark.ok()) {
    mark_problem = "the audit key's head mark cannot be used (" + key.head_mark.error().describe() +
                   "), so a deletion of the newest entries would not show";
  } else if (!key.head_mark->has_value()) {
    mark_problem = "there is no head mark beside the audit key at " + k->path() +
                   ", so a deletion of the newest entries would not show";
  } else {
    const AuditHeadMark& m = **key.head_mark;
    if (m.sealed_from != sealing->sealed_from) {
      mark_problem = "the audit key at " + k->path() + " also seals another log (sealed from entry " +
                     std::to_string(m.sealed_from) + "; this one from entry " +
                     std::to_string(sealing->sealed_from) + "): give each database its own key";
    } else if (m.seq > v.head_seq) {
      return set_state(v, AuditState::kBroken, v.head_seq + 1,
                       "audit entr" + std::string(m.seq == v.head_seq + 1 ? "y " : "ies ") +
                           std::to_string(v.head_seq + 1) +
                           (m.seq == v.head_seq + 1 ? "" : " to " + std::to_string(m.seq)) +
                           " missing: the audit key sealed the log up to entry " + std::to_string(m.seq) +
                           " and it now ends at entry " + std::to_string(v.head_seq));
    } else if (m.seq >= 1 && entries[static_cast<size_t>(m.seq - 1)].hash != m.hash) {
      return set_state(v, AuditState::kBroken, m.seq,
                       "audit entry " + std::to_string(m.seq) +
                           " is not the entry the audit key sealed: the log was rewritten up to it");
    }
  }
  if (first_unsealed) {
    return set_state(v, AuditState::kUnverified, first_unsealed,
                     "audit entries from " + std::to_string(*first_unsealed) +
                         " on carry no seal: they were written while the audit key was not at hand");
  }
  if (!mark_problem.empty()) return set_state(v, AuditState::kUnverified, std::nullopt, mark_problem);
  return v;
}

std::string AuditAnchor::signed_text() const {
  return std::string(kAnchorHeader) + "\nentry=" + std::to_string(seq) + "\nhash=" + hash + "\nat=" + at +
         "\nkey=" + public_key;
}

std::string AuditAnchor::text() const {
  return std::string(kAnchorHeader) + " entry=" + std::to_string(seq) + " hash=" + hash + " at=" + at +
         " key=" + public_key + " sig=" + signature;
}

nlohmann::json AuditAnchor::to_json() const {
  return {{"entry", seq}, {"hash", hash}, {"at", at}, {"key", public_key}, {"sig", signature}, {"text", text()}};
}

AuditAnchor make_audit_anchor(const AuditKey& key, int64_t seq, const std::string& hash) {
  AuditAnchor a;
  a.seq = seq;
  a.hash = hash;
  a.at = now_rfc3339_utc();
  a.public_key = key.public_key();
  a.signature = key.sign(a.signed_text());
  return a;
}

Result<std::vector<AuditAnchor>> parse_audit_anchors(std::string_view text) {
  std::vector<AuditAnchor> out;
  size_t pos = 0;
  while ((pos = text.find(kAnchorHeader, pos)) != std::string_view::npos) {
    pos += kAnchorHeader.size();
    const std::string where = "anchor " + std::to_string(out.size() + 1);
    std::map<std::string, std::string> fields;
    // The fields follow the header, separated by spaces or line breaks (a minute may wrap them).
    size_t p = pos;
    while (fields.size() < 5) {
      while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p]))) ++p;
      size_t end = p;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
      std::string_view word = text.substr(p, end - p);
      auto eq = word.find('=');
      if (word.empty() || eq == std::string_view::npos) break;
      std::string name(word.substr(0, eq));
      if (name != "entry" && name != "hash" && name != "at" && name != "key" && name != "sig") break;
      std::string_view value = word.substr(eq + 1);
      while (!value.empty() && std::string_view(".,;)").find(value.back()) != std::string_view::npos) value.remove_suffix(1);
      if (!fields.emplace(name, std::string(value)).second) {
        return invalid_argument(where + "/" + name, "is given twice");
      }
      p = end;
    }
    // What was given is checked before what is missing, so a mistyped field is named as such.
    AuditAnchor a;
    if (auto it = fields.find("entry"); it != fields.end()) {
      const std::string& entry = it->second;
      if (entry.empty() || entry.size() > 18 || entry.find_first_not_of("0123456789") != std::string::npos ||
          std::stoll(entry) < 1) {
        return invalid_argument(where + "/entry", "must be an entry number (1 or more), got \"" + entry.substr(0, 40) + "\"");
      }
      a.seq = std::stoll(entry);
    }
    if (auto it = fields.find("hash"); it != fields.end()) {
      if (!is_hex(it->second, 64)) return invalid_argument(where + "/hash", "must be 64 lower-case hex digits");
      a.hash = it->second;
    }
    if (auto it = fields.find("at"); it != fields.end()) {
      if (!is_utc_instant(it->second)) {
        return invalid_argument(where + "/at", "must be a UTC time such as 2026-12-06T10:00:00Z");
      }
      a.at = it->second;
    }
    if (auto it = fields.find("key"); it != fields.end()) {
      if (!is_hex(it->second, 64)) return invalid_argument(where + "/key", "must be 64 lower-case hex digits");
      a.public_key = it->second;
    }
    if (auto it = fields.find("sig"); it != fields.end()) {
      if (!is_hex(it->second, 128)) return invalid_argument(where + "/sig", "must be 128 lower-case hex digits");
      a.signature = it->second;
    }
    for (const char* name : {"entry", "hash", "at", "key", "sig"}) {
      if (!fields.count(name)) return invalid_argument(where + "/" + name, "is missing from the anchor");
    }
    out.push_back(std::move(a));
    pos = p;
  }
  if (out.empty()) {
    return invalid_argument("anchor", "no \"" + std::string(kAnchorHeader) + " entry=… hash=… at=… key=… sig=…\" line found");
  }
  return out;
}

AnchorCheck check_audit_anchor(const std::vector<AuditEntry>& entries, const AuditVerification& log,
                               const AuditAnchor& anchor) {
  auto fail = [](std::string problem) { return AnchorCheck{false, std::move(problem)}; };
  const std::string n = std::to_string(anchor.seq);
  if (!audit_signature_valid(anchor.public_key, anchor.signed_text(), anchor.signature)) {
    return fail("the anchor's signature does not match its text: it was altered, or not signed by a Townhall audit key");
  }
  if (!log.public_key.empty() && log.public_key != anchor.public_key) {
    return fail("the anchor was signed with another key (public key " + anchor.public_key.substr(0, 16) +
                "…) than the one this log is sealed with (" + log.public_key.substr(0, 16) + "…)");
  }
  const int64_t last = entries.empty() ? 0 : entries.back().seq;
  if (last < anchor.seq) {
    return fail("the log ends at entry " + std::to_string(last) + " but the anchor names entry " + n +
                ": entries were deleted");
  }
  if (log.state == AuditState::kBroken && log.first_bad_seq && *log.first_bad_seq <= anchor.seq) {
    return fail("the log is broken at entry " + std::to_string(*log.first_bad_seq) +
                ", at or before the anchored entry " + n);
  }
  // The chain holds up to the anchored entry, so entries 1..seq are consecutive there.
  const AuditEntry& e = entries[static_cast<size_t>(anchor.seq - 1)];
  if (e.hash != anchor.hash) {
    return fail("entry " + n + " is not the anchored one (its hash begins " + e.hash.substr(0, 12) +
                ", the anchor's " + anchor.hash.substr(0, 12) + "): the log was rewritten up to it");
  }
  return AnchorCheck{true, ""};
}

std::string now_rfc3339_utc() {
  return rfc3339_utc(static_cast<int64_t>(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

std::string rfc3339_utc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace townhall
