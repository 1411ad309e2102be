// The audit log's hash chain in the SQLite store: an intact chain verifies, and each kind of
// tampering (an edit, an edit with recomputed hashes, a deletion, the newest entry cut off) is named.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store_test_util.h"
#include "townhall/audit/audit.h"
#include "townhall/util/sha256.h"

namespace townhall {
namespace {

using testing_store::open_ok;
using testing_store::TempDb;

// ---- audit -----------------------------------------------------------------------------------

class AuditChain : public ::testing::Test {
 protected:
  void SetUp() override {
    store = open_ok(db.path());
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(store->append_audit(AuditEvent{"user:1", "test.event", "thing", std::to_string(i), {{"n", i}}}).ok());
    }
  }
  void tamper(const std::string& sql) {
    SQLite::Database raw(db.path(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;");
    raw.exec(sql);
  }
  AuditVerification verify() {
    auto v = open_ok(db.path())->verify_audit();
    EXPECT_TRUE(v.ok());
    return *v;
  }
  TempDb db;
  std::unique_ptr<Store> store;
};

TEST_F(AuditChain, IntactChainVerifies) {
  auto v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.entries, 5);
  // The hash is recomputable from the definition: SHA-256(prev + "\n" + canonical JSON).
  auto entries = *store->audit_entries();
  std::string canonical = R"({"action":"test.event","actor":"user:1","at":")" + entries[0].at +
                          R"(","detail":{"n":1},"seq":1,"subject_id":"1","subject_kind":"thing"})";
  EXPECT_EQ(entries[0].hash, sha256_hex(std::string(64, '0') + "\n" + canonical));
  EXPECT_EQ(entries[1].prev_hash, entries[0].hash);
}

TEST_F(AuditChain, TriggersRefusePlainUpdatesAndDeletes) {
  SQLite::Database raw(db.path(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(raw.exec("UPDATE audit_log SET actor='mallory' WHERE seq=2"), SQLite::Exception);
  EXPECT_THROW(raw.exec("DELETE FROM audit_log WHERE seq=2"), SQLite::Exception);
}

TEST_F(AuditChain, EditedEntryIsNamed) {
  tamper("UPDATE audit_log SET actor='mallory' WHERE seq=3");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_NE(v.problem.find("altered"), std::string::npos) << v.problem;
}

TEST_F(AuditChain, EditedDetailIsNamed) {
  tamper(R"(UPDATE audit_log SET detail='{"n":99}' WHERE seq=2)");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2);
}

TEST_F(AuditChain, RehashedEditBreaksTheNextLink) {
  // An editor who also recomputes the edited entry's own hash is caught by the entry after it.
  auto entries = *store->audit_entries();
  AuditEvent forged = entries[1].event;
  forged.actor = "mallory";
  std::string h = audit_hash(entries[1].prev_hash, 2, entries[1].at, forged);
  tamper("UPDATE audit_log SET actor='mallory', hash='" + h + "' WHERE seq=2");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3);
}

TEST_F(AuditChain, DeletedEntryIsNamed) {
  tamper("DELETE FROM audit_log WHERE seq=2");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2);
  EXPECT_NE(v.problem.find("missing"), std::string::npos) << v.problem;
}

TEST_F(AuditChain, DeletedNewestEntryIsNamed) {
  tamper("DELETE FROM audit_log WHERE seq=5");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 5);
}

}  // namespace
}  // namespace townhall
