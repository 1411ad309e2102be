// townhall/submissions/store.h — where a response and the facts its respondent gave are stored
// together.
//
// A panel member's response may tell the council facts about them (their tenure, their age band:
// ask once, panel/ask_once.h). Those facts are kept with the response in the SAME transaction, so
// a crash between the two can neither keep the response and lose the facts nor the reverse, and
// each fact names the response it came from. The rule of what is kept (source, audit record) is
// here, in given_facts_to_record() and given_facts_audit(); the store only writes it.
// Thread-safety: implementations must be safe to call from many threads at once; the values are
// plain.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "townhall/access/role.h"
#include "townhall/audit/audit.h"
#include "townhall/consultations/status.h"
#include "townhall/panel/fact.h"
#include "townhall/responses/store.h"

namespace townhall {

// The facts a panel member gave in a response (already filtered by their consent).
struct GivenFacts {
  std::optional<int64_t> member_id;
  std::vector<panel::Fact> facts;
  Actor actor;  // who sent the response, as the audit trail names them

  bool empty() const { return !member_id || facts.empty(); }
};

// A checked response and the facts it gives, stored as one.
struct Submission {
  ResponseSubmission response;
  GivenFacts given;
  // An officer keyed it in (a paper, phone or face-to-face response): the audit trail records
  // that they did, in the response's own transaction (entered_response_audit).
  bool audit_entry = false;
};

// The facts as they are kept: each with "response <reference>" as its source.
std::vector<panel::Fact> given_facts_to_record(const GivenFacts& given, const StoredResponse& stored);
// The "panel.facts" audit record of keeping them: the actor, the member, the response and the keys
// (never the values, which are personal data).
AuditEvent given_facts_audit(const GivenFacts& given, const StoredResponse& stored);

// The "response.entered" audit record of an officer keying in a response: the officer (given.actor),
// the consultation, the response's reference, channel and language (never the answers).
AuditEvent entered_response_audit(const GivenFacts& given, const StoredResponse& stored);

class SubmissionStore {
 public:
  virtual ~SubmissionStore() = default;

  // Stores each submission's response exactly as ResponseStore::submit_responses_in_place does
  // (each succeeds or fails on its own, all in ONE transaction, a replay answered whatever the
  // state), and in that same transaction the facts its respondent gave and, for an officer's entry,
  // its audit record (neither for a replay). A
  // member erased meanwhile keeps nothing: their response names a person who no longer exists and
  // is refused (kInvalidArgument) on its own, the rest of the batch going ahead.
  virtual std::vector<Result<StoredResponse>> submit_in_place(std::vector<Submission>& batch,
                                                              const StatusGuard& accepting) = 0;
};

}  // namespace townhall
