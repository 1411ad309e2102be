// townhall/store/store.h — the one storage interface of the core.
//
// Callers (CLI, server, bindings) talk only to Store, so a PostgreSQL store can be added later
// without touching them; SqliteStore (sqlite_store.h) is the embedded default. Data kinds are kept
// apart as DESIGN.md §5 requires: people (personal data), equality data and responses live in
// separate tables and a response refers to a person only by id.
//
// Consultations are stored as their validated JSON document plus indexed columns (id, status,
// opens, closes, title, wards, topics) for the public hub listing; questions are kept in their own
// table, rewritten whenever the document is saved. Every lifecycle change is written together with
// its audit entry in one transaction.
//
// Errors: kNotFound for unknown ids, kConflict for state clashes (a stale version, a used
// idempotency key with a different body, a consultation that is not open), kIo for database
// trouble. A failed call changes nothing.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/panel/contact_policy.h"
#include "townhall/panel/fact.h"
#include "townhall/panel/member.h"
#include "townhall/store/audit.h"
#include "townhall/store/role.h"

namespace townhall {

// Lifecycle states, in order.
inline constexpr const char* kConsultationStatuses[] = {"draft", "scheduled", "open", "closed",
                                                        "outcome_published"};

struct ConsultationRecord {
  std::string id;                  // "c-1", assigned by the store
  std::string status = "draft";
  nlohmann::json document;         // the validated consultation document (without id/status)
  int64_t version = 0;             // incremented by every write; used for optimistic concurrency
  std::string created_at, updated_at;  // RFC 3339 UTC

  // document + {"id", "status", "version", "created_at", "updated_at"}.
  nlohmann::json to_json() const;
};

struct ConsultationQuery {
  std::vector<std::string> statuses;  // empty = any
  std::string ward;                   // exact ward name; empty = any
  std::string topic;                  // exact topic; empty = any
  std::string search;                 // case-insensitive substring of title or summary
  std::string sort = "-opens";        // opens | closes | title | created, '-' prefix = descending
  int64_t limit = 20;                 // 1..100
  int64_t offset = 0;
};

struct ConsultationPage {
  std::vector<ConsultationRecord> items;
  int64_t total = 0;  // matching rows, ignoring limit/offset
};

struct ResponseSubmission {
  std::string consultation_id;
  std::string channel = "online";  // online | paper | phone | face_to_face | event
  std::string language = "en-GB";  // BCP 47 tag of the language the response was given in
  std::optional<int64_t> person_id;
  std::optional<int64_t> submitted_by;  // user id of the caller (absent for anonymous)
  std::optional<int64_t> entered_by;    // officer who keyed in a paper/phone/face-to-face response
  nlohmann::json answers = nlohmann::json::object();
  // answers.dump(), when the caller has made it already (the server does, on its I/O thread, so
  // the single writer thread does not); empty = the store serialises `answers` itself.
  std::string answers_text;
  std::string idempotency_key;    // empty = none
  std::string idempotency_scope;  // whose key it is ("user:3", "public")
  std::string request_hash;       // SHA-256 of the request body, to spot a reused key
};

struct StoredResponse {
  int64_t id = 0;
  std::string reference;  // "TH-7K2M-Q9XD"
  std::string consultation_id;
  std::string channel;
  std::string language;
  std::optional<int64_t> person_id, submitted_by, entered_by;
  nlohmann::json answers;
  std::string created_at;
  bool replayed = false;  // true when an idempotency key matched an earlier submission

  nlohmann::json to_json() const;
};

// One language version of a consultation's content (consultation-translation.schema.json): the
// title, summary, proposal, reasons, options considered, question texts and option labels and the
// documents' titles in `lang`, a canonical BCP 47 tag other than English.
struct TranslationRecord {
  std::string consultation_id;
  std::string lang;
  nlohmann::json document = nlohmann::json::object();
  std::string updated_at;

  // document + {"consultation_id", "lang", "updated_at"}.
  nlohmann::json to_json() const;
};

// An event or public meeting of a consultation (meeting.schema.json).
struct MeetingRecord {
  int64_t id = 0;
  std::string consultation_id;
  nlohmann::json document = nlohmann::json::object();
  std::string created_at, updated_at;

  // document + {"id", "consultation_id", "created_at", "updated_at"}.
  nlohmann::json to_json() const;
};

// What is held about one resident: personal data, equality data (absent when none) and how many
// responses refer to them.
struct PersonRecord {
  int64_t id = 0;
  nlohmann::json personal_data = nlohmann::json::object();
  std::optional<nlohmann::json> equality_data;
  int64_t responses = 0;
  std::string created_at;

  nlohmann::json to_json() const;
};

// A response in progress on the web pages, kept so a resident can leave and come back. `key` is a
// hash of a browser session secret (or of an emailed resume secret) and the consultation id; the
// secrets themselves are never stored.
struct ResponseDraft {
  std::string key;
  std::string consultation_id;
  std::string language = "en-GB";
  nlohmann::json answers = nlohmann::json::object();
  std::string email;       // where a resume link was last sent ("" = none); deleted with the draft
  std::string updated_at;  // RFC 3339 UTC, set by the store
};

// An email the server would send (resume links, sign-in links). There is no mail server: emails are
// written to this outbox and logged, and a mail relay (or a person) can send them on.
struct OutboxEmail {
  int64_t id = 0;
  std::string to, subject, body;
  std::string created_at;
};

// A panel member's sign-in link ("sign_in", single use) or signed-in browser session ("session")
// on the web pages. Only `hash` (SHA-256 of the secret) is stored; `expires_at` is Unix seconds.
struct MemberToken {
  std::string kind;
  std::string hash;
  int64_t member_id = 0;
  int64_t expires_at = 0;
};

// An email address waiting to be proven by the link emailed to it: the address a member joined
// with, or a new address they asked for. Only `hash` (SHA-256 of the link's secret) is stored;
// `expires_at` is Unix seconds. Erased with the member.
struct EmailConfirmation {
  std::string hash;
  int64_t member_id = 0;
  std::string email;  // as the member typed it (NFC, trimmed)
  int64_t expires_at = 0;
};

struct TransitionRecord {
  std::string consultation_id;
  std::string from, to;
  int64_t expected_version = 0;  // 0 = do not check
  nlohmann::json document_patch = nlohmann::json::object();  // merged into the document (e.g. outcome)
  std::vector<AuditEvent> audit;  // written in the same transaction
};

class Store {
 public:
  virtual ~Store() = default;

  virtual int schema_version() = 0;

  // Users and tokens.
  virtual Result<User> add_user(Role role, const std::string& name, const std::string& token_hash) = 0;
  virtual std::optional<User> user_by_token_hash(const std::string& token_hash) = 0;

  // People (personal data) and their equality monitoring answers, kept apart from responses.
  virtual Result<int64_t> add_person(const nlohmann::json& personal_data) = 0;
  virtual Status set_equality_data(int64_t person_id, const nlohmann::json& answers) = 0;
  virtual Result<PersonRecord> get_person(int64_t person_id) = 0;
  // Replaces a person's personal data (name, email, phone, address, ...), with an audit entry. A
  // panel member's email changed here is unproven (see confirm_email for the proven way).
  virtual Status update_person(int64_t person_id, const nlohmann::json& personal_data, const AuditEvent& audit) = 0;
  // Erases the person's personal and equality data in one transaction; their responses stay, with
  // person_id set to NULL. The audit event (which must carry no personal data) is written with it.
  virtual Status erase_person(int64_t person_id, const AuditEvent& audit) = 0;

  // Consultations.
  virtual Result<ConsultationRecord> create_consultation(const nlohmann::json& document,
                                                         const AuditEvent& audit) = 0;
  virtual Result<ConsultationRecord> get_consultation(const std::string& id) = 0;
  // Replaces the document of a draft; expected_version 0 skips the check.
  virtual Result<ConsultationRecord> update_consultation(const std::string& id,
                                                         const nlohmann::json& document,
                                                         int64_t expected_version,
                                                         const AuditEvent& audit) = 0;
  virtual Status delete_consultation(const std::string& id, const AuditEvent& audit) = 0;
  virtual Result<ConsultationRecord> transition_consultation(const TransitionRecord& t) = 0;
  virtual Result<ConsultationPage> list_consultations(const ConsultationQuery& query) = 0;
  virtual Result<std::vector<nlohmann::json>> questions(const std::string& consultation_id) = 0;

  // Translations of a consultation's content, one per language. put_ replaces the language's
  // version; a closed consultation (or one whose outcome is published) refuses changes with
  // kConflict, and an open one refuses deletions. Each write is audited in the same transaction.
  virtual Result<TranslationRecord> put_translation(const std::string& consultation_id, const std::string& lang,
                                                    const nlohmann::json& document, const AuditEvent& audit) = 0;
  virtual Result<TranslationRecord> get_translation(const std::string& consultation_id, const std::string& lang) = 0;
  // Ordered by language tag.
  virtual Result<std::vector<TranslationRecord>> list_translations(const std::string& consultation_id) = 0;
  virtual Status delete_translation(const std::string& consultation_id, const std::string& lang,
                                    const AuditEvent& audit) = 0;

  // Events and public meetings of a consultation, in date order. Each write is audited.
  virtual Result<MeetingRecord> add_meeting(const std::string& consultation_id, const nlohmann::json& document,
                                            const AuditEvent& audit) = 0;
  virtual Result<MeetingRecord> update_meeting(const std::string& consultation_id, int64_t meeting_id,
                                               const nlohmann::json& document, const AuditEvent& audit) = 0;
  virtual Status delete_meeting(const std::string& consultation_id, int64_t meeting_id, const AuditEvent& audit) = 0;
  virtual Result<MeetingRecord> get_meeting(const std::string& consultation_id, int64_t meeting_id) = 0;
  virtual Result<std::vector<MeetingRecord>> list_meetings(const std::string& consultation_id) = 0;

  // Responses. Each submission in the batch succeeds or fails on its own, and all successful
  // ones are committed in ONE transaction before this returns (group commit).
  // The batch is taken by value so the answers move into the results instead of being copied.
  std::vector<Result<StoredResponse>> submit_responses(std::vector<ResponseSubmission> batch) {
    return submit_responses_in_place(batch);
  }
  // The same, leaving the submissions to the caller: their answers move into the results and
  // the rest is left for the caller to free (the group commit frees them off its writer thread).
  virtual std::vector<Result<StoredResponse>> submit_responses_in_place(std::vector<ResponseSubmission>& batch) = 0;
  // One page of a consultation's responses in the order they were stored; `total` counts them all.
  virtual Result<std::vector<StoredResponse>> list_responses(const std::string& consultation_id,
                                                             int64_t limit = 100, int64_t offset = 0) = 0;
  // The response with this quotable reference ("TH-00A1-Q9XD"), for enquiries by phone or letter.
  virtual Result<StoredResponse> response_by_reference(const std::string& reference) = 0;
  virtual Result<int64_t> count_responses(const std::string& consultation_id) = 0;

  // Responses in progress on the web pages (see ResponseDraft). save_draft inserts or replaces by
  // key; get_draft gives kNotFound when there is none; delete_draft of an absent key is not an error.
  virtual Status save_draft(const ResponseDraft& draft) = 0;
  virtual Result<ResponseDraft> get_draft(const std::string& key) = 0;
  virtual Status delete_draft(const std::string& key) = 0;

  // The email outbox, oldest first.
  virtual Result<int64_t> add_outbox_email(const OutboxEmail& email) = 0;
  virtual Result<std::vector<OutboxEmail>> outbox() = 0;

  // Panel members' sign-in links and sessions on the web pages (see MemberToken); erased with the
  // member. member_token gives the member of a live token, kNotFound when it is unknown or expired
  // on `now`; `consume` deletes it (single use). Every token expired on `now` is deleted on the way.
  virtual Status put_member_token(const MemberToken& token) = 0;
  virtual Result<int64_t> member_token(const std::string& kind, const std::string& hash, int64_t now, bool consume) = 0;
  virtual Status delete_member_token(const std::string& kind, const std::string& hash) = 0;
  // How many of this member's tokens of `kind` are live (unexpired, unused) on `now`: the sign-in
  // page sends no more links while a few are outstanding, so nobody can flood a member's inbox.
  virtual Result<int64_t> live_member_tokens(const std::string& kind, int64_t member_id, int64_t now) = 0;
  // The panel member whose proven sign-in address is `email`, compared in the form of
  // panel/sign_in_email.h (trimmed, case-folded); kNotFound if none. Unproven addresses (typed
  // into the join form, or a change not yet confirmed) are never found here.
  virtual Result<panel::Member> member_by_email(const std::string& email) = 0;

  // Addresses waiting for their emailed link (see EmailConfirmation). email_confirmation gives the
  // live one with this hash, kNotFound when it is unknown or expired on `now` (expired ones are
  // deleted on the way). confirm_email uses it up: its address becomes the member's email and
  // sign-in address and their other pending confirmations go, with `audit` in the same
  // transaction; kConflict (and the confirmation is used up, nothing else changes) when another
  // member signs in with that address already. live_email_confirmations counts a member's
  // unexpired ones, so nobody can flood an inbox.
  virtual Status put_email_confirmation(const EmailConfirmation& confirmation) = 0;
  virtual Result<EmailConfirmation> email_confirmation(const std::string& hash, int64_t now) = 0;
  virtual Result<panel::Member> confirm_email(const std::string& hash, int64_t now, const AuditEvent& audit) = 0;
  virtual Result<int64_t> live_email_confirmations(int64_t member_id, int64_t now) = 0;

  // A random secret of this deployment, made on first use and kept in the database (e.g. the key
  // the web pages authenticate their session cookies with, so they survive a restart). `name`
  // says what it is for; each name has its own secret.
  virtual Result<std::string> site_secret(const std::string& name) = 0;

  // Forward Plan documents (key decisions, notices), stored as JSON.
  virtual Result<nlohmann::json> put_key_decision(const std::string& id, const nlohmann::json& doc,
                                                  const AuditEvent& audit) = 0;
  virtual Result<nlohmann::json> get_key_decision(const std::string& id) = 0;
  virtual Result<std::vector<nlohmann::json>> list_key_decisions() = 0;

  // Citizens' Panel membership (tables panel_members, panel_facts, panel_invitations; personal
  // data stays in people, facts stay out of the response tables). kNotFound for unknown members.
  //
  // Adds a person, the member and their facts (and a panel_member user when a token hash is given)
  // in one transaction, with `audit` (its subject_id is set to the member id).
  virtual Result<panel::Member> add_member(const panel::NewMember& member, const AuditEvent& audit) = 0;
  // All or nothing: every member is added, or (on any error) none is. A clash of external ids, or
  // of proven sign-in addresses (with the database or within the batch), is kConflict naming the
  // batch index ("/3/external_id", "/3/email"). An unproven address clashes with nothing.
  virtual Result<std::vector<panel::Member>> import_members(const std::vector<panel::NewMember>& members,
                                                            const AuditEvent& audit) = 0;
  virtual Result<panel::Member> get_member(int64_t member_id) = 0;
  virtual Result<panel::Member> member_by_person(int64_t person_id) = 0;
  virtual Result<panel::Member> member_by_user(int64_t user_id) = 0;
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
  // The responses linked to a person (for "what do you hold about me").
  virtual Result<std::vector<StoredResponse>> responses_of_person(int64_t person_id) = 0;
  // Erases the member's personal data, facts, invitations, equality data and user, and unlinks
  // their responses (person_id and submitted_by set to NULL; the answers stay in the results).
  virtual Result<panel::Erasure> erase_member(int64_t member_id, const AuditEvent& audit) = 0;

  // Audit log (townhall/store/audit.h). Entries are sealed with the store's audit key when it
  // has one. verify_audit() checks the chain, the seals and the key's head mark: kBroken names the
  // first bad entry, kUnverified says why the seals could not be checked.
  virtual Result<AuditEntry> append_audit(const AuditEvent& event) = 0;
  virtual Result<std::vector<AuditEntry>> audit_entries() = 0;
  virtual Result<AuditVerification> verify_audit() = 0;
};

}  // namespace townhall
