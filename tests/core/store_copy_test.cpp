// `townhall db copy`'s core: an SQLite Townhall database copied into PostgreSQL, every table, with
// the audit chain verified on the copy (copy_sqlite_to_postgres).
#include <gtest/gtest.h>

#include "store_backends.h"
#include "townhall/consultations/editing.h"
#include "townhall/util/sha256.h"

namespace townhall {
namespace {

using testing_store::PostgresTestDatabase;
using testing_store::SqliteTestDatabase;

class CopyToPostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string cluster = testing_store::postgres_test_url();
    if (cluster.empty() || !testing_store::postgres_store_built()) {
      GTEST_SKIP() << "skipped: no PostgreSQL test cluster (TOWNHALL_TEST_PG_URL / TOWNHALL_TEST_PG_URL_FILE)";
    }
    target = std::make_unique<PostgresTestDatabase>(cluster);
    SqliteOptions o = SqliteOptions::creating();
    o.audit_key_file = source.audit_key();
    auto s = open_sqlite_store(source.url(), o);
    ASSERT_TRUE(s.ok()) << s.error().describe();
    auto& st = **s;
    ASSERT_TRUE(st.create_consultation({{"title", "Parks"}, {"questions", nlohmann::json::array()}},
                                       AuditEvent{"user:1", "consultation.create", "consultation", "", {}})
                    .ok());
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      ASSERT_TRUE(st.transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
    }
    ResponseSubmission r;
    r.consultation_id = "c-1";
    r.answers = {{"q1", "yes"}};
    r.idempotency_key = "k1";
    r.idempotency_scope = "public";
    r.request_hash = sha256_hex(r.answers.dump());
    ResponseSubmission plain;
    plain.consultation_id = "c-1";
    auto stored = st.submit_responses({r, plain}, responses_allowed());
    ASSERT_TRUE(stored[0].ok() && stored[1].ok());
    reference = stored[0]->reference;
    auto olive = st.add_user(Role::kOfficer, "Olive", sha256_hex("olive-token"));
    auto bea = st.add_user(Role::kOfficer, "Bea", sha256_hex("bea-token"));
    ASSERT_TRUE(olive.ok() && bea.ok());
    ExceptionRequest x;
    x.consultation_id = "c-1";
    x.consultation_version = 1;
    x.to = ConsultationStatus::kClosed;
    x.reason = "The proposal was withdrawn.";
    x.requested_by = olive->id;
    x.approver = bea->id;
    x.requested_at = 1'800'000'000;
    ASSERT_TRUE(st.add_exception_request(x, AuditEvent{"user:2", "exception.request", "exception_request", "", {}}).ok());
  }
  PostgresOptions keyed() const {
    PostgresOptions o;
    o.audit_key_file = source.audit_key();
    o.create_audit_key = false;
    return o;
  }

  SqliteTestDatabase source;
  std::unique_ptr<PostgresTestDatabase> target;
  std::string reference;
};

TEST_F(CopyToPostgres, EveryTableIsCopiedAndTheChainVerifies) {
  auto copied = copy_sqlite_to_postgres(source.url(), target->url(), source.audit_key());
  ASSERT_TRUE(copied.ok()) << copied.error().describe();
  EXPECT_EQ(copied->audit.state, AuditState::kIntact) << copied->audit.problem;
  EXPECT_EQ(copied->audit.entries, 4);  // the create, two users and the request; transitions here carry none
  auto pg = open_postgres_store(target->url(), keyed());
  ASSERT_TRUE(pg.ok()) << pg.error().describe();
  EXPECT_EQ(*(*pg)->count_responses("c-1"), 2);
  EXPECT_EQ((*pg)->response_by_reference(reference)->answers, (nlohmann::json{{"q1", "yes"}}));
  EXPECT_EQ((*pg)->get_consultation("c-1")->status, ConsultationStatus::kOpen);
  EXPECT_TRUE((*pg)->user_by_token_hash(sha256_hex("olive-token")).has_value());
  auto pending = (*pg)->pending_exception_requests(2);  // Bea, the second user added
  ASSERT_TRUE(pending.ok()) << pending.error().describe();
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].reason, "The proposal was withdrawn.");
  // The retry of a response given before the move is answered with it; numbering goes on.
  ResponseSubmission retry;
  retry.consultation_id = "c-1";
  retry.answers = {{"q1", "yes"}};
  retry.idempotency_key = "k1";
  retry.idempotency_scope = "public";
  retry.request_hash = sha256_hex(retry.answers.dump());
  ResponseSubmission plain;
  plain.consultation_id = "c-1";
  auto again = (*pg)->submit_responses({retry, plain}, responses_allowed());
  ASSERT_TRUE(again[0].ok() && again[1].ok()) << again[1].error().describe();
  EXPECT_TRUE(again[0]->replayed);
  EXPECT_EQ(again[0]->reference, reference);
  EXPECT_EQ(again[1]->id, 3);
  auto c2 = (*pg)->create_consultation({{"title", "Roads"}}, AuditEvent{"user:1", "consultation.create", "consultation", "", {}});
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(c2->id, "c-2");
  EXPECT_EQ((*pg)->verify_audit()->state, AuditState::kIntact);
}

TEST_F(CopyToPostgres, ATargetWithDataIsRefusedUnchanged) {
  ASSERT_TRUE(copy_sqlite_to_postgres(source.url(), target->url(), source.audit_key()).ok());
  auto again = copy_sqlite_to_postgres(source.url(), target->url(), source.audit_key());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().field, "--to");
  EXPECT_EQ(target->scalar("SELECT COUNT(*) FROM responses"), "2");
}

TEST_F(CopyToPostgres, ABrokenSourceChainIsNotCopied) {
  // Rewrite an entry as someone with the file (but no key) would; the triggers are dropped first.
  source.exec("DROP TRIGGER audit_log_no_update");
  source.exec("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1");
  auto copied = copy_sqlite_to_postgres(source.url(), target->url(), source.audit_key());
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().field, "--from");
  EXPECT_EQ(target->scalar("SELECT to_regclass('responses') IS NULL"), "t");  // nothing made
}

TEST_F(CopyToPostgres, NotATownhallDatabaseIsRefused) {
  SqliteTestDatabase other;
  other.exec("CREATE TABLE invoices(id INTEGER)");
  auto copied = copy_sqlite_to_postgres(other.url(), target->url(), "");
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().field, "--from");
}

}  // namespace
}  // namespace townhall
