#include "townhall/store/audit.h"

#include <chrono>
#include <ctime>

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
          {"hash", hash}};
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

AuditVerification verify_audit_chain(const std::vector<AuditEntry>& entries, int64_t head_seq,
                                     const std::string& head_hash) {
  AuditVerification v;
  auto fail = [&](int64_t seq, std::string problem) {
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
  return v;
}

std::string now_rfc3339_utc() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace townhall
