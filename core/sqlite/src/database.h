// Internal to the SQLite store: the one class behind open_sqlite_store (sqlite_store.h).
//
// One connection guarded by one mutex. Each capability's methods are defined in its own file
// (consultations.cpp, responses.cpp, panel.cpp, ...); opening, pragmas, migrations and background
// checkpoints are in database.cpp. Every write goes through write(): it takes the mutex, begins an
// IMMEDIATE transaction, runs the body and commits, and turns database errors into the store's
// error codes (store_error), so the rule "a failed call changes nothing" holds in one place.
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/audit/audit_key.h"
#include "store/stored_fields.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/util/siphash.h"

namespace townhall::sqlite {

// The migrations embedded from core/sqlite/migrations/NNN_name.sql, in order: the i-th moves the
// schema from version i to i+1 (schema_version table).
const std::vector<std::string_view>& migrations();

// The first schema version whose audit log is sealed.
inline constexpr int kSealedAuditVersion = 12;

// A full disk (SQLITE_FULL, or a write that failed with ENOSPC, EDQUOT or EFBIG — a quota or a
// file size limit) is kStorageFull: the request was sound, nothing was stored, and it can be
// retried once space is freed. Anything else is kIo. `db` (the failed call's connection, used
// under the store's mutex) gives the errno of a failed write.
Error store_error(std::string_view what, const std::exception& e, sqlite3* db);

using store_detail::meeting_starts;
using store_detail::not_found;
using store_detail::stored_status;
using store_detail::str_or_empty;
std::optional<int64_t> opt_int(const SQLite::Column& c);

// No SQLite error of a write has a meaning of its own: all are store_error()s.
struct NoSqliteMapping {
  std::optional<Error> operator()(const SQLite::Exception&) const { return std::nullopt; }
};

// A constraint failure (e.g. a foreign key to a row that is not there) means `error`.
inline auto on_constraint(Error error) {
  return [error = std::move(error)](const SQLite::Exception& e) -> std::optional<Error> {
    if (e.getErrorCode() == SQLITE_CONSTRAINT) return error;
    return std::nullopt;
  };
}

// A clash with a unique index means `error`.
inline auto on_unique(Error error) {
  return [error = std::move(error)](const SQLite::Exception& e) -> std::optional<Error> {
    if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) return error;
    return std::nullopt;
  };
}

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const SqliteOptions& options, bool create);
  ~SqliteStore() override;

  // At open, in this order: the migrations, the idempotency-key index (writable stores), the
  // audit key and seal.
  Status migrate(int target);
  Status init_keys(const SqliteOptions& options);
  Status init_audit(const SqliteOptions& options, const std::string& path);

  int schema_version() override;

  // AccessStore (access.cpp).
  Result<User> add_user(Role role, const std::string& name, const std::string& token_hash) override;
  std::optional<User> user_by_token_hash(const std::string& token_hash) override;

  // StaffStore (staff.cpp).
  Result<StaffAccount> add_staff_account(const NewStaffAccount& account, const std::string& username_key,
                                         const std::string& email_key, const std::string& password_hash,
                                         const std::string& token_hash, const AuditEvent& audit) override;
  Result<StaffAccount> staff_account_by_key(const std::string& key) override;
  Status set_staff_password(int64_t user_id, const std::string& password_hash, const AuditEvent* audit) override;
  Result<std::vector<StaffAccount>> staff_accounts() override;
  Result<StaffAccount> staff_account(int64_t user_id) override;
  Status update_staff_account(int64_t user_id, Role role, bool disabled, const AuditEvent& audit) override;
  Result<std::vector<SignInFailures>> sign_in_failures(const std::vector<std::string>& keys, int64_t forget_before) override;
  Status record_sign_in_failure(const std::vector<std::string>& keys, int64_t now, int64_t forget_before) override;
  Status clear_sign_in_failures(const std::vector<std::string>& keys) override;
  Result<StaffSession> put_staff_session(const StaffSession& session) override;
  Result<SignedInStaff> staff_session(const std::string& hash, int64_t now, int64_t idle_seconds) override;
  Result<std::vector<StaffSession>> staff_sessions(int64_t user_id, int64_t now, int64_t idle_seconds) override;
  Status delete_staff_session(int64_t user_id, int64_t session_id) override;

  // PeopleStore (people.cpp).
  Result<int64_t> add_person(const nlohmann::json& personal_data) override;
  Status set_equality_data(int64_t person_id, const nlohmann::json& answers) override;
  Result<PersonRecord> get_person(int64_t person_id) override;
  Status update_person(int64_t person_id, const nlohmann::json& personal_data, const AuditEvent& audit) override;
  Status erase_person(int64_t person_id, const AuditEvent& audit) override;

  // ConsultationStore (consultations.cpp).
  Result<ConsultationRecord> create_consultation(const nlohmann::json& document, const AuditEvent& audit) override;
  Result<ConsultationRecord> get_consultation(const std::string& id) override;
  Result<ConsultationRecord> update_consultation(const std::string& id, const nlohmann::json& document,
                                                 int64_t expected_version, const StatusGuard& only_if,
                                                 const AuditEvent& audit) override;
  Status delete_consultation(const std::string& id, const StatusGuard& only_if, const AuditEvent& audit) override;
  Result<ConsultationRecord> transition_consultation(const TransitionRecord& t) override;
  Result<ConsultationPage> list_consultations(const ConsultationQuery& query) override;
  Result<std::vector<nlohmann::json>> questions(const std::string& consultation_id) override;
  Result<TranslationRecord> put_translation(const std::string& consultation_id, const std::string& lang,
                                            const nlohmann::json& document, const StatusGuard& only_if,
                                            const AuditEvent& audit) override;
  Result<TranslationRecord> get_translation(const std::string& consultation_id, const std::string& lang) override;
  Result<std::vector<TranslationRecord>> list_translations(const std::string& consultation_id) override;
  Status delete_translation(const std::string& consultation_id, const std::string& lang, const StatusGuard& only_if,
                            const AuditEvent& audit) override;
  Result<MeetingRecord> add_meeting(const std::string& consultation_id, const nlohmann::json& document,
                                    const AuditEvent& audit) override;
  Result<MeetingRecord> update_meeting(const std::string& consultation_id, int64_t meeting_id,
                                       const nlohmann::json& document, const AuditEvent& audit) override;
  Status delete_meeting(const std::string& consultation_id, int64_t meeting_id, const AuditEvent& audit) override;
  Result<MeetingRecord> get_meeting(const std::string& consultation_id, int64_t meeting_id) override;
  Result<std::vector<MeetingRecord>> list_meetings(const std::string& consultation_id) override;

  // ResponseStore (responses.cpp; the idempotency-key index in idempotency_keys.cpp).
  std::vector<Result<StoredResponse>> submit_responses_in_place(std::vector<ResponseSubmission>& batch,
                                                                const StatusGuard& accepting) override;
  // SubmissionStore (responses.cpp).
  std::vector<Result<StoredResponse>> submit_in_place(std::vector<Submission>& batch,
                                                      const StatusGuard& accepting) override;
  Result<std::vector<StoredResponse>> list_responses(const std::string& consultation_id, int64_t limit,
                                                     int64_t offset) override;
  Result<ResponsePage> find_responses(const std::string& consultation_id, const ResponseFilter& filter) override;
  Result<StoredResponse> response_by_reference(const std::string& reference) override;
  Result<int64_t> count_responses(const std::string& consultation_id) override;
  Result<std::vector<StoredResponse>> responses_of_person(int64_t person_id) override;

  // MailOutbox (mail.cpp).
  Result<int64_t> add_outbox_email(const OutboxEmail& email) override;
  Result<std::vector<OutboxEmail>> outbox() override;
  Result<std::vector<OutboxEmail>> claim_due_emails(int64_t now, int limit, int64_t lease_seconds) override;
  Status record_delivered(int64_t id, const std::string& reference) override;
  Status record_failed_attempt(int64_t id, const std::string& error, std::optional<int64_t> retry_at) override;
  Result<int64_t> remove_finished_emails(const std::string& before) override;

  // WebSessionStore (web_sessions.cpp).
  Status save_draft(const ResponseDraft& draft) override;
  Result<ResponseDraft> get_draft(const std::string& key) override;
  Status delete_draft(const std::string& key) override;
  Status put_member_token(const MemberToken& token) override;
  Result<int64_t> member_token(const std::string& kind, const std::string& hash, int64_t now, bool consume) override;
  Status delete_member_token(const std::string& kind, const std::string& hash) override;
  Result<int64_t> live_member_tokens(const std::string& kind, int64_t member_id, int64_t now) override;
  Status put_email_confirmation(const EmailConfirmation& confirmation) override;
  Result<EmailConfirmation> email_confirmation(const std::string& hash, int64_t now) override;
  Result<panel::Member> confirm_email(const std::string& hash, int64_t now, const AuditEvent& audit) override;
  Result<int64_t> live_email_confirmations(int64_t member_id, int64_t now) override;
  Result<std::string> site_secret(const std::string& name) override;

  // ForwardPlanStore (forward_plan.cpp).
  Result<nlohmann::json> put_key_decision(const std::string& id, const nlohmann::json& doc,
                                          const AuditEvent& audit) override;
  Result<nlohmann::json> get_key_decision(const std::string& id) override;
  Result<std::vector<nlohmann::json>> list_key_decisions() override;

  // ForwardPlanRegisterStore (forward_plan_register.cpp).
  Result<std::vector<RegisterRecord>> register_records() override;
  Status change_register(const std::vector<RegisterChange>& changes, const RegisterCheck& check,
                         const AuditEvent& audit) override;

  // PanelStore (panel.cpp).
  Result<std::vector<panel::Member>> import_members(const std::vector<panel::NewMember>& members,
                                                    const AuditEvent& audit) override;
  Result<panel::Member> get_member(int64_t member_id) override;
  Result<panel::Member> member_by_person(int64_t person_id) override;
  Result<panel::Member> member_by_user(int64_t user_id) override;
  Result<panel::Member> member_by_email(const std::string& email) override;
  Result<std::vector<panel::Member>> list_members() override;
  Status link_member_user(int64_t member_id, int64_t user_id, const AuditEvent& audit) override;
  Result<std::vector<panel::Fact>> member_facts(int64_t member_id) override;
  Result<std::vector<std::pair<int64_t, std::vector<panel::Fact>>>> all_member_facts() override;
  Status record_facts(int64_t member_id, const std::vector<panel::Fact>& facts, const AuditEvent& audit) override;
  Status record_invitations(const std::vector<panel::Invitation>& invitations, const panel::ContactPolicy& limit,
                            const AuditEvent& audit) override;
  Result<std::vector<panel::Invitation>> invitations_since(Date since) override;
  Result<std::vector<panel::Invitation>> member_invitations(int64_t member_id) override;
  Result<panel::Erasure> erase_member(int64_t member_id, const AuditEvent& audit) override;

  // ExceptionRequestStore (exception_requests.cpp).
  Result<ExceptionRequest> add_exception_request(const ExceptionRequest& request, const AuditEvent& audit) override;
  Result<ExceptionRequest> get_exception_request(int64_t id) override;
  Result<std::vector<ExceptionRequest>> pending_exception_requests(int64_t approver) override;
  Result<std::vector<ExceptionRequest>> exception_requests_about(const std::string& consultation_id) override;
  Status decide_exception_request(int64_t id, ApprovalState state, int64_t decided_at, const AuditEvent& audit) override;

  // HolidayFeedStore (holidays.cpp).
  Status put_holiday_feed(const HolidayFeed& feed, const AuditEvent& audit) override;
  Result<std::optional<HolidayFeed>> holiday_feed() override;

  // AuditLog (audit.cpp).
  Result<AuditEntry> append_audit(const AuditEvent& event) override;
  Result<std::vector<AuditEntry>> audit_entries() override;
  Result<AuditVerification> verify_audit() override;

 private:
  // Runs `body` in one IMMEDIATE transaction under the mutex and commits it when the body returns
  // a success; an error returned rolls everything back, unless the body (taking a `bool& keep`)
  // set `keep` to commit what it did anyway (e.g. a purge of expired tokens). An SQLite error is
  // first offered to `map` (e.g. a constraint that means "unknown member"), then becomes a
  // store_error "<what>: ...".
  template <class F>
  static auto run(F& body, bool& keep) {
    if constexpr (std::is_invocable_v<F&, bool&>) {
      return body(keep);
    } else {
      return body();
    }
  }

  template <class F, class Map = NoSqliteMapping>
  auto write(std::string_view what, F&& body, Map&& map = {}) -> decltype(run(body, std::declval<bool&>())) {
    using R = decltype(run(body, std::declval<bool&>()));
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      bool keep = false;
      R r = run(body, keep);
      if (r || keep) tx.commit();
      return r;
    } catch (const SQLite::Exception& e) {
      if (std::optional<Error> mapped = map(e)) return R(std::move(*mapped));
      return R(io_error(what, e));
    } catch (const std::exception& e) {
      return R(io_error(what, e));
    }
  }

  // Runs `body` under the mutex (reads that need one snapshot open a deferred transaction inside).
  template <class F>
  auto read(std::string_view what, F&& body) -> decltype(body()) {
    using R = decltype(body());
    std::lock_guard lock(mu_);
    try {
      return body();
    } catch (const std::exception& e) {
      return R(io_error(what, e));
    }
  }

  // Inside the store (with mu_ held), errors also look at the connection's files (see store_error).
  Error io_error(std::string_view what, const std::exception& e) { return store_error(what, e, db_.getHandle()); }

  Status read_version(int latest);

  // Consultations (with mu_ held): the record, a meeting, and the wards, topics and questions
  // tables rewritten from a document.
  Result<ConsultationRecord> get_locked(const std::string& id);
  Result<MeetingRecord> get_meeting_locked(const std::string& consultation_id, int64_t meeting_id);
  void write_children(const std::string& id, const nlohmann::json& doc);
  // The member whose `column` is `value` (takes mu_).
  Result<panel::Member> member_lookup(const char* column, int64_t value);
  // The live confirmation with this hash, after deleting every expired one (with mu_ held, in a
  // transaction).
  std::optional<EmailConfirmation> live_confirmation_locked(const std::string& hash, int64_t now);

  // A statement prepared once and kept for the connection's life (with mu_ held): preparing costs
  // more than running the small reads the pages make on every request. It is reset when the
  // handle goes, so no read is left open; every use binds all its parameters.
  class Prepared {
   public:
    explicit Prepared(SQLite::Statement& q) : q_(q) {}
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;
    ~Prepared() { q_.tryReset(); }
    SQLite::Statement* operator->() const { return &q_; }

   private:
    SQLite::Statement& q_;
  };
  Prepared prepared(const char* sql) {
    auto& kept = prepared_[sql];
    if (!kept) kept = std::make_unique<SQLite::Statement>(db_, sql);
    return Prepared(*kept);
  }

  // Responses (with mu_ held).
  void prepare_hot();
  // The batch of `n` submissions (`submission(i)`) in one transaction; `after(i, stored)` writes
  // what goes with a stored response in that same transaction.
  std::vector<Result<StoredResponse>> submit_batch(size_t n, const std::function<ResponseSubmission&(size_t)>& submission,
                                                   const std::function<void(size_t, const StoredResponse&)>& after,
                                                   const StatusGuard& accepting);
  Result<StoredResponse> submit_one(ResponseSubmission& s, const std::string& now, const StatusGuard& accepting,
                                    std::map<std::string, std::optional<ConsultationStatus>>& status_cache,
                                    int64_t& next_id);
  bool keys_in_rows() const { return version_ >= 10; }
  uint64_t key_fingerprint(const std::string& scope, const std::string& key);
  int64_t first_response_to_index();
  std::optional<std::pair<std::string, int64_t>> find_key_in_index(const ResponseSubmission& s, uint64_t fingerprint);
  void forget_key(uint64_t fingerprint, int64_t row);
  void note_key_second(const std::string& created_at, int64_t row);
  void load_new_keys_locked();
  void prune_keys_locked(bool now);

  // Audit (with mu_ held).
  AuditEntry append_audit_locked(const AuditEvent& event);
  std::vector<AuditEntry> read_audit_locked();
  std::optional<AuditSealing> read_sealing_locked();
  void seal_log_locked();

  // Background checkpoints (database.cpp).
  static int on_wal_commit(void* self, sqlite3* db, const char*, int frames);
  static void on_rollback(void* self);
  void checkpoint_loop(const std::string& path, SqliteOptions options);
  int checkpoint_and_restart(sqlite3* conn);

  // The copy of the WAL's last kTailFrames pauses the writer (once per checkpoint_frames_).
  static constexpr int kTailFrames = 256;
  static constexpr int kMaxUnlockedPasses = 4;
  static constexpr int kMaxWalFrames = 262144;

  std::mutex mu_;
  SQLite::Database db_;
  const bool read_only_;
  int version_ = 0;
  // The audit seal (see init_audit).
  std::string audit_key_path_;
  std::shared_ptr<const AuditKey> audit_key_;
  std::string audit_key_unavailable_;  // why audit_key_ is null, or why it does not seal
  std::optional<AuditSealing> sealing_;
  bool sealing_with_key_ = false;      // new entries are sealed with audit_key_
  bool head_mark_frozen_ = false;      // the head mark names an entry this log lacks: keep it
  std::optional<AuditHeadMark> pending_mark_;  // to record when the current transaction commits
  std::mutex ckpt_mu_;
  std::condition_variable ckpt_cv_;
  bool ckpt_wanted_ = false;
  bool ckpt_stop_ = false;
  std::atomic<int> wal_frames_{0};  // frames in the WAL after the last commit on db_
  int checkpoint_frames_ = 32768;    // SqliteOptions::wal_checkpoint_frames
  std::thread checkpointer_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> prepared_;
  std::unique_ptr<SQLite::Statement> insert_response_, insert_key_, find_key_, find_response_, status_of_,
      max_response_id_, key_row_, new_keys_;

  // Recent idempotency keys in memory (schema 10 on, keys in the response rows): the SipHash of
  // scope + "\n" + key (under a key drawn at open, so clients cannot aim at one bucket) -> the
  // response holding it. A fingerprint match is confirmed against the row, so a collision costs
  // one more row read, never a wrong answer; a row whose key was cleared (pruned by another
  // connection) drops the entry.
  struct KeyIndex {
    bool enabled = false;
    SipKey sip;
    std::unordered_multimap<uint64_t, int64_t> rows;
    // (created_at, the last row written in that second), in row order: where pruning cuts.
    std::deque<std::pair<std::string, int64_t>> seconds;
    int64_t last_row = 0;     // the largest response id read or written
    int64_t pruned_upto = 0;  // keys of responses up to this id are cleared or were never indexed
    int retention_days = 7;
    std::chrono::steady_clock::time_point last_prune;
  } keys_;
  std::vector<std::pair<uint64_t, int64_t>> batch_keys_;  // index entries added by the current batch
  std::string fingerprint_buf_;
};

}  // namespace townhall::sqlite
