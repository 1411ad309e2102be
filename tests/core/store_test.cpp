// The SQLite store's own behaviour: migrations and upgrades, WAL checkpoints, the in-memory index of
// idempotency keys, the committer's executor. What every store promises (consultations, responses,
// idempotency, the audit chain, ...) is the conformance suite's, run on every backend
// (store_conformance_test.cpp, store_conformance_more_test.cpp).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>
#include <mutex>
#include <functional>
#include <deque>
#include <condition_variable>
#include <set>

#include "townhall/consultations/editing.h"
#include "townhall/responses/answers.h"
#include "townhall/submissions/response_committer.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/access/token.h"
#include "townhall/util/sha256.h"

#include "store_test_util.h"

namespace townhall {
namespace {

using testing_store::open_ok;
using testing_store::TempDb;

AuditEvent ev(const std::string& action) { return AuditEvent{"user:1", action, "consultation", "", {}}; }

nlohmann::json doc(const std::string& title, const std::string& opens, std::vector<std::string> wards,
                   std::vector<std::string> topics) {
  return {{"title", title},
          {"summary", "About " + title},
          {"opens", opens},
          {"closes", "2026-12-31"},
          {"wards", wards},
          {"topics", topics},
          {"questions",
           {{{"id", "q1"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
            {{"id", "q2"}, {"type", "free_text"}, {"text", "Why?"}}}}};
}

TEST(SqliteStore, FreshFileHasLatestSchemaWalAndForeignKeys) {
  TempDb t;
  auto s = open_ok(t.path());
  EXPECT_EQ(s->schema_version(), sqlite_latest_schema_version());
  EXPECT_GE(sqlite_latest_schema_version(), 2);
  SQLite::Database raw(t.path());
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(raw.execAndGet("SELECT version FROM schema_version").getInt(), sqlite_latest_schema_version());
  // Personal data, equality data and responses are separate tables; responses hold only a person id.
  for (const char* table : {"people", "equality_data", "responses", "consultations", "questions", "users",
                            "audit_log", "key_decisions", "notices"}) {
    EXPECT_EQ(raw.execAndGet(std::string("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='") +
                             table + "'").getInt(), 1) << table;
  }
  SQLite::Statement cols(raw, "SELECT name FROM pragma_table_info('responses')");
  std::set<std::string> names;
  while (cols.executeStep()) names.insert(cols.getColumn(0).getString());
  EXPECT_TRUE(names.count("person_id"));
  EXPECT_TRUE(names.count("idempotency_key"));  // schema 10: a response keeps its own key
  EXPECT_FALSE(names.count("name"));
  EXPECT_FALSE(names.count("postcode"));
}

TEST(SqliteStore, OldFileIsUpgradedKeepingItsData) {
  TempDb t;
  {
    auto s = open_ok(t.path(), SqliteOptions{SyncMode::kNormal, 5000, 1});
    EXPECT_EQ(s->schema_version(), 1);
    ASSERT_TRUE(s->create_consultation(doc("Parks", "2026-01-05", {"Abbey"}, {"parks"}), ev("consultation.create")).ok());
    ASSERT_TRUE(s->append_audit(ev("note")).ok());
  }
  {
    SQLite::Database raw(t.path());
    EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name='audit_head'").getInt(), 0);
  }
  auto s = open_ok(t.path());
  EXPECT_EQ(s->schema_version(), sqlite_latest_schema_version());
  auto c = s->get_consultation("c-1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->document["title"], "Parks");
  // The head was rebuilt from the existing log, so the chain still verifies and keeps growing.
  ASSERT_TRUE(s->append_audit(ev("after-upgrade")).ok());
  auto v = s->verify_audit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries, 3);
}

TEST(SqliteStore, NewerFileIsRefusedAndLeftUntouched) {
  TempDb t;
  { auto s = open_ok(t.path()); }
  {
    SQLite::Database raw(t.path(), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE schema_version SET version = 99");
  }
  auto s = open_sqlite_store(t.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_NE(s.error().message.find("newer"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("99"), std::string::npos);
  SQLite::Database raw(t.path());
  EXPECT_EQ(raw.execAndGet("SELECT version FROM schema_version").getInt(), 99);
}

TEST(SqliteStore, UsersAreFoundByTokenHashOnly) {
  TempDb t;
  auto s = open_ok(t.path());
  std::string token = new_bearer_token();
  EXPECT_EQ(token.size(), 64u);
  auto u = s->add_user(Role::kOfficer, "Ada", hash_token(token));
  ASSERT_TRUE(u.ok());
  auto found = s->user_by_token_hash(sha256_hex(token));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "Ada");
  EXPECT_EQ(found->role, Role::kOfficer);
  EXPECT_FALSE(s->user_by_token_hash(token).has_value());  // the raw token is not stored
  SQLite::Database raw(t.path());
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM users WHERE token_hash = '" + token + "'").getInt(), 0);
  EXPECT_FALSE(s->add_user(Role::kPublic, "x", "h").ok());
}

class OpenConsultation : public ::testing::Test {
 protected:
  void SetUp() override {
    store = open_ok(db.path());
    ASSERT_TRUE(store->create_consultation(doc("Parks", "2026-01-05", {"Abbey"}, {"parks"}), ev("c")).ok());
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      ASSERT_TRUE(store->transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
    }
  }
  ResponseSubmission sub(const std::string& key = "", const nlohmann::json& answers = {{"q1", true}}) {
    ResponseSubmission s;
    s.consultation_id = "c-1";
    s.answers = answers;
    s.idempotency_key = key;
    s.idempotency_scope = "public";
    s.request_hash = sha256_hex(answers.dump());
    return s;
  }
  TempDb db;
  std::unique_ptr<Store> store;
};

TEST(ResponseReference, SerialInCrockfordBase32ThenTwentyRandomBits) {
  // Serial 1 is "0001"; 32 = 1*32 + 0 is "0010"; 1023 = 31*32 + 31 is "00ZZ"; 2^20 - 1 is the last
  // four-digit serial "ZZZZ"; 2^20 = 1*32^4 needs five digits "10000".
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {1, "TH-0001-"}, {32, "TH-0010-"}, {1023, "TH-00ZZ-"}, {1048575, "TH-ZZZZ-"}, {1048576, "TH-10000-"}};
  for (const auto& [serial, prefix] : cases) {
    std::string ref = response_reference(serial);
    EXPECT_EQ(ref.substr(0, prefix.size()), prefix) << serial;
    EXPECT_EQ(ref.size(), prefix.size() + 4) << ref;
    EXPECT_EQ(ref.find_first_of("ILOU", 3), std::string::npos) << ref;
    for (char c : ref.substr(prefix.size())) {
      EXPECT_NE(std::string("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(c), std::string::npos) << ref;
    }
  }
  // The last group is random: 50 references of one serial are not all alike (all alike by chance:
  // 2^-980), and references sort in serial order (what keeps the reference index append-only).
  std::set<std::string> tails;
  for (int i = 0; i < 50; ++i) tails.insert(response_reference(7).substr(8));
  EXPECT_GT(tails.size(), 1u);
  EXPECT_LT(response_reference(31), response_reference(32));
  EXPECT_LT(response_reference(99999), response_reference(100000));
}

// The WAL header's checkpoint sequence number (big-endian at byte 12) goes up each time the WAL
// restarts from the beginning of its file (SQLite's WAL file format).
uint32_t wal_checkpoint_sequence(const std::string& db_path) {
  std::FILE* f = std::fopen((db_path + "-wal").c_str(), "rb");
  if (f == nullptr) return 0;
  unsigned char h[16] = {};
  size_t got = std::fread(h, 1, sizeof h, f);
  std::fclose(f);
  if (got < sizeof h) return 0;
  return (uint32_t{h[12]} << 24) | (uint32_t{h[13]} << 16) | (uint32_t{h[14]} << 8) | uint32_t{h[15]};
}

TEST(SqliteStore, BusyWalIsCopiedInTheBackgroundAndRestarts) {
  // Responses of ~3 KiB take about a page each: 12,000 of them are more than the 4,096 WAL frames
  // after which this store checkpoints in the background.
  TempDb db;
  SqliteOptions o;
  o.wal_checkpoint_frames = 4096;
  auto store = open_ok(db.path(), o);
  ASSERT_TRUE(store->create_consultation(doc("Parks", "2026-01-05", {"Abbey"}, {"parks"}), ev("c")).ok());
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    ASSERT_TRUE(store->transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
  }
  auto sub = [](const nlohmann::json& answers) {
    ResponseSubmission s;
    s.consultation_id = "c-1";
    s.answers = answers;
    return s;
  };
  const uint32_t seq0 = wal_checkpoint_sequence(db.path());
  const nlohmann::json answers = {{"q1", true}, {"q2", std::string(3000, 'x')}};
  for (int batch = 0; batch < 24; ++batch) {
    std::vector<ResponseSubmission> b;
    for (int i = 0; i < 500; ++i) b.push_back(sub(answers));
    for (auto& r : store->submit_responses(std::move(b), responses_allowed())) ASSERT_TRUE(r.ok());
  }
  // The background connection copies the WAL into the database file while the store is open
  // (before, the file stayed at its first page until the store closed).
  auto db_size = [&] { return std::filesystem::file_size(db.path()); };
  for (int i = 0; i < 200 && db_size() < 20u * 1024 * 1024; ++i) usleep(50 * 1000);
  EXPECT_GE(db_size(), 20u * 1024 * 1024);
  // Once the WAL is wholly copied, the next transaction starts it again at the front of its file.
  int extra = 0;
  for (int i = 0; i < 100 && wal_checkpoint_sequence(db.path()) == seq0; ++i, ++extra) {
    ASSERT_TRUE(store->submit_responses({sub({{"q1", true}})}, responses_allowed())[0].ok());
    usleep(50 * 1000);
  }
  EXPECT_GT(wal_checkpoint_sequence(db.path()), seq0);
  EXPECT_EQ(*store->count_responses("c-1"), 12000 + extra);
}

// A key young enough to be indexed at open (within the window plus a day) but past the window is
// cleared from its row and not honoured. (A store kept open repeats this pruning hourly.)
TEST_F(OpenConsultation, KeyIndexedAtOpenIsClearedWhenItExpires) {
  SqliteOptions one_day;
  one_day.idempotency_retention_days = 1;
  store.reset();
  store = open_ok(db.path(), one_day);
  ASSERT_TRUE(store->submit_responses({sub("k1")}, responses_allowed())[0].ok());
  {
    SQLite::Database raw(db.path(), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE responses SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-36 hours')");
  }
  store.reset();
  store = open_ok(db.path(), one_day);
  SQLite::Database raw(db.path());
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM responses WHERE idempotency_key IS NOT NULL").getInt(), 0);
  auto r = store->submit_responses({sub("k1")}, responses_allowed());
  ASSERT_TRUE(r[0].ok());
  EXPECT_FALSE(r[0]->replayed);
}

// Even after every key expired, a key written through another connection later is found: the
// table never empties, so its row ids keep growing.
TEST_F(OpenConsultation, KeyFromAnotherConnectionAfterEveryKeyExpiredIsHonoured) {
  ASSERT_TRUE(store->submit_responses({sub("a"), sub("b")}, responses_allowed())[1].ok());
  store.reset();
  {
    SQLite::Database raw(db.path(), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE responses SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-8 days')");
  }
  store = open_ok(db.path());
  auto other = open_ok(db.path());
  auto first = other->submit_responses({sub("c")}, responses_allowed());
  ASSERT_TRUE(first[0].ok());
  auto again = store->submit_responses({sub("c"), sub("a")}, responses_allowed());
  ASSERT_TRUE(again[0].ok() && again[1].ok());
  EXPECT_TRUE(again[0]->replayed);
  EXPECT_EQ(again[0]->reference, first[0]->reference);
  EXPECT_FALSE(again[1]->replayed);  // "a" expired
  EXPECT_EQ(*store->count_responses("c-1"), 4);
}

// Keys stored in the key table of schema 9 are carried over into their response rows by the upgrade.
TEST(SqliteStore, IdempotencyKeysSurviveTheUpgradeToKeysInResponseRows) {
  TempDb t;
  const int before = 9;  // the key table of schema 9, upgraded through 10 and later
  std::string reference;
  ResponseSubmission s;
  s.consultation_id = "c-1";
  s.answers = {{"q1", true}};
  s.idempotency_key = "k";
  s.idempotency_scope = "public";
  s.request_hash = sha256_hex("body");
  {
    SqliteOptions o;
    o.target_version = before;
    auto old = open_ok(t.path(), o);
    ASSERT_TRUE(old->create_consultation(doc("Parks", "2026-01-05", {}, {}), ev("c")).ok());
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      ASSERT_TRUE(old->transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
    }
    auto r = old->submit_responses({s, s}, responses_allowed());
    ASSERT_TRUE(r[0].ok() && r[1].ok());
    EXPECT_TRUE(r[1]->replayed);
    reference = r[0]->reference;
  }
  auto upgraded = open_ok(t.path());
  auto r = upgraded->submit_responses({s}, responses_allowed());
  ASSERT_TRUE(r[0].ok()) << r[0].error().describe();
  EXPECT_TRUE(r[0]->replayed);
  EXPECT_EQ(r[0]->reference, reference);
  EXPECT_EQ(*upgraded->count_responses("c-1"), 1);
}

TEST_F(OpenConsultation, CommitterWithAnExecutorAnswersEachSubmissionOnceOnTheExecutorThread) {
  // A one-thread executor, as the server's I/O threads are: closures queue up and run in order.
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> closures;
  bool quit = false;
  std::thread pool([&] {
    std::unique_lock lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return quit || !closures.empty(); });
      if (closures.empty()) return;
      auto f = std::move(closures.front());
      closures.pop_front();
      lock.unlock();
      f();
      lock.lock();
    }
  });
  const auto pool_id = pool.get_id();
  std::vector<int> calls(200, 0);
  std::vector<std::string> references(200);
  bool all_on_pool = true;
  {
    ResponseCommitter committer(*store, 16);
    committer.set_executor([&](std::function<void()> f) {
      {
        std::lock_guard lock(mu);
        closures.push_back(std::move(f));
      }
      cv.notify_one();
    });
    for (int i = 0; i < 200; ++i) {
      // Keys k0..k149: the last 50 submissions retry the first 50 with the same body.
      committer.submit(sub("k" + std::to_string(i % 150)), [&, i](Result<StoredResponse> r) {
        all_on_pool = all_on_pool && std::this_thread::get_id() == pool_id;
        ++calls[static_cast<size_t>(i)];
        if (r.ok()) references[static_cast<size_t>(i)] = r->reference;
      });
    }
    committer.stop();  // drains the queue; the answers are still on their way through the pool
  }
  {
    std::lock_guard lock(mu);
    quit = true;
  }
  cv.notify_one();
  pool.join();
  EXPECT_TRUE(all_on_pool);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(calls[static_cast<size_t>(i)], 1) << i;
    EXPECT_FALSE(references[static_cast<size_t>(i)].empty()) << i;
  }
  for (int i = 150; i < 200; ++i) EXPECT_EQ(references[static_cast<size_t>(i)], references[static_cast<size_t>(i - 150)]) << i;
  EXPECT_EQ(std::set<std::string>(references.begin(), references.end()).size(), 150u);
  SQLite::Database raw(db.path());
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM responses").getInt(), 150);
}

// ---- answers ---------------------------------------------------------------------------------

TEST(Answers, EachQuestionTypeIsChecked) {
  std::vector<nlohmann::json> qs = {
      {{"id", "colour"}, {"type", "single_choice"}, {"options", {"red", "green"}}, {"required", true}},
      {{"id", "days"}, {"type", "multiple_choice"}, {"options", {"mon", "tue", "wed"}}},
      {{"id", "score"}, {"type", "scale"}, {"min", 0}, {"max", 10}},
      {{"id", "why"}, {"type", "free_text"}, {"max_length", 5}},
      {{"id", "order"}, {"type", "ranking"}, {"options", {"a", "b", "c"}}},
      {{"id", "agree"}, {"type", "yes_no"}}};
  auto check = [&](const nlohmann::json& a) { return validate_answers(qs, a); };
  EXPECT_TRUE(check({{"colour", "red"}, {"days", {"mon", "wed"}}, {"score", 10}, {"why", "café!"},
                     {"order", {"c", "a"}}, {"agree", false}}).ok());
  EXPECT_EQ(check({{"days", {"mon"}}}).error().field, "/answers/colour");              // required
  EXPECT_EQ(check({{"colour", "blue"}}).error().field, "/answers/colour");             // not an option
  EXPECT_EQ(check({{"colour", "red"}, {"days", {"mon", "mon"}}}).error().field, "/answers/days/1");
  EXPECT_EQ(check({{"colour", "red"}, {"days", nlohmann::json::array()}}).error().field, "/answers/days");
  EXPECT_EQ(check({{"colour", "red"}, {"score", 11}}).error().field, "/answers/score");
  EXPECT_EQ(check({{"colour", "red"}, {"score", 2.5}}).error().field, "/answers/score");
  EXPECT_EQ(check({{"colour", "red"}, {"why", "toolong"}}).error().field, "/answers/why");
  EXPECT_EQ(check({{"colour", "red"}, {"order", {"a", "d"}}}).error().field, "/answers/order/1");
  EXPECT_EQ(check({{"colour", "red"}, {"agree", "yes"}}).error().field, "/answers/agree");
  EXPECT_EQ(check({{"colour", "red"}, {"shoe", 1}}).error().field, "/answers/shoe");
  EXPECT_FALSE(check(nlohmann::json::array()).ok());
}


// Migration 4 adds the response language: rows stored before it read as the English API's
// responses, new rows keep the language they were given in.
TEST(SqliteStore, ResponseLanguageSurvivesUpgradeAndIsStored) {
  TempDb t;
  {
    auto s = open_ok(t.path(), SqliteOptions{SyncMode::kNormal, 5000, 3});
    ASSERT_EQ(s->schema_version(), 3);
    ASSERT_TRUE(s->create_consultation(doc("Parks", "2026-01-05", {"Abbey"}, {"parks"}), ev("consultation.create")).ok());
    SQLite::Database raw(t.path(), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE consultations SET status='open' WHERE id='c-1'");
    raw.exec("INSERT INTO responses(reference, consultation_id, channel, answers, created_at) "
             "VALUES ('TH-OLD0-0001', 'c-1', 'online', '{\"q1\":\"yes\"}', '2026-01-06T10:00:00Z')");
  }
  auto s = open_ok(t.path());
  ResponseSubmission cy;
  cy.consultation_id = "c-1";
  cy.language = "cy";
  cy.answers = {{"q1", "no"}};
  auto results = s->submit_responses({cy}, responses_allowed());
  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0].ok()) << results[0].error().describe();
  EXPECT_EQ(results[0]->language, "cy");
  auto old = s->response_by_reference("TH-OLD0-0001");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->language, "en-GB");
  auto fresh = s->response_by_reference(results[0]->reference);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->language, "cy");
  EXPECT_EQ(fresh->to_json()["language"], "cy");
}

}  // namespace
}  // namespace townhall
