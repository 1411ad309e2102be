// Internal to the PostgreSQL store: the one class behind open_postgres_store (postgres_store.h).
//
// A pool of connections (pool.h). Each capability's methods are defined in its own file
// (consultations.cpp, responses.cpp, panel.cpp, ...); opening and the migrations are in
// database.cpp. Every write goes through write(): it takes a connection, begins a transaction,
// runs the body and commits, and turns database errors into the store's error codes, so the rule
// "a failed call changes nothing" holds in one place. A deadlock or serialization failure runs
// the whole body again (at most a few times) in a new transaction. Rows that a write decides on
// are locked by it (SELECT … FOR UPDATE / FOR SHARE), as SQLite's single writer made them.
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pool.h"
#include "pq.h"
#include "townhall/audit/audit_key.h"
#include "store/stored_fields.h"
#include "townhall/store/postgres_store.h"

namespace townhall::postgres {

const std::vector<std::string_view>& migrations();

// One unit of work on one connection: statements, and what to do once it commits.
struct Tx {
  pq::Conn& c;
  std::optional<AuditHeadMark> mark;  // the audit key's head mark to record after COMMIT
  pq::Rows exec(const std::string& sql, std::initializer_list<pq::Param> params = {}) { return c.exec(sql, params); }
};

Error store_error(std::string_view what, const std::exception& e);
using store_detail::meeting_starts;
using store_detail::not_found;
using store_detail::stored_status;
using store_detail::str_or_empty;

// A failed statement means `error` when `when` says so.
struct NoPgMapping {
  std::optional<Error> operator()(const pq::Failure&) const { return std::nullopt; }
};
inline auto on_integrity(Error error) {
  return [error = std::move(error)](const pq::Failure& e) -> std::optional<Error> {
    if (e.integrity_violation()) return error;
    return std::nullopt;
  };
}
inline auto on_unique(Error error) {
  return [error = std::move(error)](const pq::Failure& e) -> std::optional<Error> {
    if (e.unique_violation()) return error;
    return std::nullopt;
  };
}

class PgStore final : public Store {
 public:
  PgStore(const std::string& conninfo, const PostgresOptions& options);
  ~PgStore() override = default;

  // At open, in this order: the migrations, the idempotency keys' pruning, the audit key and seal.
  Status migrate(int target, bool create);
  Status init_keys();
  Status init_audit();

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
  Result<bool> run_exclusively(std::string_view job, const std::function<Status()>& pass) override;  // jobs.cpp

  // ResponseStore and SubmissionStore (responses.cpp).
  std::vector<Result<StoredResponse>> submit_responses_in_place(std::vector<ResponseSubmission>& batch,
                                                                const StatusGuard& accepting) override;
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

  // ForwardPlanStore (access.cpp).
  Result<nlohmann::json> put_key_decision(const std::string& id, const nlohmann::json& doc,
                                          const AuditEvent& audit) override;
  Result<nlohmann::json> get_key_decision(const std::string& id) override;
  Result<std::vector<nlohmann::json>> list_key_decisions() override;

  // ForwardPlanRegisterStore (forward_plan_register.cpp).
  Result<std::vector<RegisterRecord>> register_records() override;
  Status change_register(const std::vector<RegisterChange>& changes, const RegisterCheck& check,
                         const AuditEvent& audit) override;

  // ExceptionRequestStore (exception_requests.cpp).
  Result<ExceptionRequest> add_exception_request(const ExceptionRequest& request, const AuditEvent& audit) override;
  Result<ExceptionRequest> get_exception_request(int64_t id) override;
  Result<std::vector<ExceptionRequest>> pending_exception_requests(int64_t approver) override;
  Result<std::vector<ExceptionRequest>> exception_requests_about(const std::string& consultation_id) override;
  Status decide_exception_request(int64_t id, ApprovalState state, int64_t decided_at, const AuditEvent& audit) override;

  // HolidayFeedStore (holidays.cpp).
  Status put_holiday_feed(const HolidayFeed& feed, const AuditEvent& audit) override;
  Result<std::optional<HolidayFeed>> holiday_feed() override;

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

  // AuditLog (audit.cpp).
  Result<AuditEntry> append_audit(const AuditEvent& event) override;
  Result<std::vector<AuditEntry>> audit_entries() override;
  Result<AuditVerification> verify_audit() override;

 private:
  template <class F>
  static auto run(F& body, Tx& tx, bool& keep) {
    if constexpr (std::is_invocable_v<F&, Tx&, bool&>) {
      return body(tx, keep);
    } else {
      return body(tx);
    }
  }

  // Runs `body(tx)` (or `body(tx, keep)`) in one transaction and commits it when the body returns
  // a success, or when it set `keep` (e.g. a purge of expired tokens that stands either way). A
  // failed statement is first offered to `map` (e.g. a constraint that means "unknown member"),
  // then becomes a store_error "<what>: ...".
  template <class F, class Map = NoPgMapping>
  auto write(std::string_view what, F&& body, Map&& map = {}) -> decltype(run(body, std::declval<Tx&>(), std::declval<bool&>())) {
    using R = decltype(run(body, std::declval<Tx&>(), std::declval<bool&>()));
    for (int attempt = 0;; ++attempt) {
      try {
        auto lease = pool_->acquire();
        Tx tx{lease.conn(), std::nullopt};
        tx.c.exec("BEGIN");
        bool keep = false;
        std::optional<R> r;
        try {
          r.emplace(run(body, tx, keep));
        } catch (...) {
          lease.discard_transaction();
          throw;
        }
        if (*r || keep) {
          tx.c.exec("COMMIT");
          after_commit(tx);
        } else {
          tx.c.exec("ROLLBACK");
        }
        return std::move(*r);
      } catch (const pq::Failure& e) {
        if (e.retryable() && attempt < kRetries) continue;
        if (std::optional<Error> mapped = map(e)) return R(std::move(*mapped));
        return R(store_error(what, e));
      } catch (const std::exception& e) {
        return R(store_error(what, e));
      }
    }
  }

  // Runs `body(tx)` on a connection outside any transaction (each statement sees the latest
  // commits), or in one read-only snapshot when `snapshot` is set.
  template <class F>
  auto read(std::string_view what, F&& body, bool snapshot = false) -> decltype(body(std::declval<Tx&>())) {
    using R = decltype(body(std::declval<Tx&>()));
    try {
      auto lease = pool_->acquire();
      Tx tx{lease.conn(), std::nullopt};
      if (!snapshot) return body(tx);
      tx.c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      std::optional<R> r;
      try {
        r.emplace(body(tx));
      } catch (...) {
        lease.discard_transaction();
        throw;
      }
      tx.c.exec("COMMIT");
      return std::move(*r);
    } catch (const std::exception& e) {
      return R(store_error(what, e));
    }
  }

  void after_commit(Tx& tx);

  // Consultations (inside a transaction): the record, locked FOR UPDATE when `lock`.
  Result<ConsultationRecord> get_locked(Tx& tx, const std::string& id, bool lock = false);
  Result<MeetingRecord> get_meeting_locked(Tx& tx, const std::string& consultation_id, int64_t meeting_id);
  void write_children(Tx& tx, const std::string& id, const nlohmann::json& doc);
  Result<panel::Member> member_lookup(const char* column, int64_t value);
  std::optional<EmailConfirmation> live_confirmation_locked(Tx& tx, const std::string& hash, int64_t now);

  // Responses.
  std::vector<Result<StoredResponse>> submit_batch(size_t n, const std::function<ResponseSubmission&(size_t)>& submission,
                                                   const std::function<void(Tx&, size_t, const StoredResponse&)>& after,
                                                   const StatusGuard& accepting);
  void decide_batch(Tx& tx, size_t n, const std::function<ResponseSubmission&(size_t)>& submission,
                    const StatusGuard& accepting, std::vector<std::optional<Result<StoredResponse>>>& decided,
                    std::vector<size_t>& fresh, std::vector<size_t>& repeats);
  std::optional<Error> refusal(Tx& tx, const ResponseSubmission& s, const StatusGuard& accepting,
                               std::map<std::string, std::optional<ConsultationStatus>>& status_cache);
  void insert_batch(Tx& tx, const std::function<ResponseSubmission&(size_t)>& submission,
                    const std::vector<size_t>& fresh, std::vector<std::optional<Result<StoredResponse>>>& decided);
  std::optional<Result<StoredResponse>> replay(Tx& tx, const ResponseSubmission& s);
  void prune_keys(bool now);

  // Audit (inside a transaction).
  AuditEntry append_audit_locked(Tx& tx, const AuditEvent& event);
  std::vector<AuditEntry> read_audit_locked(Tx& tx);
  std::optional<AuditSealing> read_sealing_locked(Tx& tx);
  void seal_log();

  static constexpr int kRetries = 4;
  // The migration that added the holiday feeds and the instants a consultation actually opened
  // and closed (SQLite's 15).
  static constexpr int kActualDatesVersion = 3;
  // The migration that added the requests for a charter exception waiting for approval (005).
  static constexpr int kExceptionRequestsVersion = 5;

  std::unique_ptr<Pool> pool_;
  PostgresOptions options_;
  int version_ = 0;
  // The audit seal (see init_audit).
  std::shared_ptr<const AuditKey> audit_key_;
  std::string audit_key_unavailable_;
  std::optional<AuditSealing> sealing_;
  bool sealing_with_key_ = false;
  std::atomic<bool> head_mark_frozen_{false};
  std::mutex prune_mu_;
  // The connection that holds a job's lock while its pass runs (jobs.cpp), one pass at a time.
  std::mutex job_mu_;
  std::unique_ptr<pq::Conn> job_conn_;
  std::chrono::steady_clock::time_point last_prune_{};
};

}  // namespace townhall::postgres
