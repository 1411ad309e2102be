// townhall/panel/store.h — where the Citizens' Panel is kept: members, their ask-once facts and
// the invitations that count against contact limits.
//
// Personal data stays with the person (store/people_store.h) and facts stay out of the response
// tables. Every write is audited in its own transaction.
// Errors: kNotFound for unknown members, kConflict for clashes named in each method, kIo
// (kStorageFull when the disk is full) for database trouble. A failed call changes nothing.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/panel/contact_policy.h"
#include "townhall/panel/fact.h"
#include "townhall/panel/member.h"
#include "townhall/audit/audit.h"

namespace townhall {

class PanelStore {
 public:
  virtual ~PanelStore() = default;

  // Adds a person, the member and their facts (and a panel_member user when a token hash is given)
  // in one transaction, with `audit` (its subject_id is set to the member id): an import of one,
  // with its errors naming the member's own fields ("external_id", not "/0/external_id").
  Result<panel::Member> add_member(const panel::NewMember& member, const AuditEvent& audit);
  // All or nothing: every member is added, or (on any error) none is. A clash of external ids, or
  // of proven sign-in addresses (with the database or within the batch), is kConflict naming the
  // batch index ("/3/external_id", "/3/email"). An unproven address clashes with nothing.
  virtual Result<std::vector<panel::Member>> import_members(const std::vector<panel::NewMember>& members,
                                                            const AuditEvent& audit) = 0;
  virtual Result<panel::Member> get_member(int64_t member_id) = 0;
  virtual Result<panel::Member> member_by_person(int64_t person_id) = 0;
  virtual Result<panel::Member> member_by_user(int64_t user_id) = 0;
  // The panel member whose proven sign-in address is `email`, compared in the form of
  // panel/sign_in_email.h (trimmed, case-folded); kNotFound if none. Unproven addresses (typed
  // into the join form, or a change not yet confirmed) are never found here.
  virtual Result<panel::Member> member_by_email(const std::string& email) = 0;
  virtual Result<std::vector<panel::Member>> list_members() = 0;
  // Links a signed-in user (role panel_member) to a member.
  virtual Status link_member_user(int64_t member_id, int64_t user_id, const AuditEvent& audit) = 0;
  // A member's facts, by key.
  virtual Result<std::vector<panel::Fact>> member_facts(int64_t member_id) = 0;
  // Facts of every member (member id → facts), for the representativeness report.
  virtual Result<std::vector<std::pair<int64_t, std::vector<panel::Fact>>>> all_member_facts() = 0;
  // Inserts or replaces facts by key (the newest answer wins, with its own provenance).
  virtual Status record_facts(int64_t member_id, const std::vector<panel::Fact>& facts, const AuditEvent& audit) = 0;
  // Records invitations in one transaction (a repeat of member+consultation is ignored). The
  // contact limit is checked inside the same transaction, so two invitation runs or draws at once
  // can never together take a member over it: if any new invitation would, nothing is recorded
  // and the error (kConflict) names the member.
  virtual Status record_invitations(const std::vector<panel::Invitation>& invitations, const panel::ContactPolicy& limit,
                                    const AuditEvent& audit) = 0;
  // Invitations sent on or after `since` (all members); a member's own with member_invitations.
  virtual Result<std::vector<panel::Invitation>> invitations_since(Date since) = 0;
  virtual Result<std::vector<panel::Invitation>> member_invitations(int64_t member_id) = 0;
  // Erases the member's personal data, facts, invitations, equality data, sign-in tokens and
  // user, and unlinks their responses (person_id and submitted_by set to NULL; the answers stay in
  // the results).
  virtual Result<panel::Erasure> erase_member(int64_t member_id, const AuditEvent& audit) = 0;
};

}  // namespace townhall
