// The audit log's hash chain, on every backend (store_backends.h): an intact chain verifies, the
// database itself refuses plain edits, and each kind of tampering by someone who gets past that
// (an edit, an edit with recomputed hashes, a deletion, the newest entry cut off) is named.
#include <gtest/gtest.h>

#include "store_backends.h"
#include "townhall/audit/audit.h"
#include "townhall/util/sha256.h"

namespace townhall {
namespace {

class AuditChain : public testing_store::StoreConformance {
 protected:
  void SetUp() override {
    StoreConformance::SetUp();
    if (IsSkipped()) return;
    store = open();
    ASSERT_TRUE(store);
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(store->append_audit(AuditEvent{"user:1", "test.event", "thing", std::to_string(i), {{"n", i}}}).ok());
    }
  }
  // As the database's owner would: the append-only triggers off, then the edit.
  void tamper(const std::string& sql) {
    if (postgres()) {
      db->exec("ALTER TABLE audit_log DISABLE TRIGGER USER");
    } else {
      db->exec("DROP TRIGGER IF EXISTS audit_log_no_update");
      db->exec("DROP TRIGGER IF EXISTS audit_log_no_delete");
    }
    db->exec(sql);
  }
  AuditVerification verify() {
    auto v = open()->verify_audit();
    EXPECT_TRUE(v.ok());
    return *v;
  }
};

TEST_P(AuditChain, IntactChainVerifies) {
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

TEST_P(AuditChain, TriggersRefusePlainUpdatesAndDeletes) {
  EXPECT_THROW(db->exec("UPDATE audit_log SET actor='mallory' WHERE seq=2"), std::exception);
  EXPECT_THROW(db->exec("DELETE FROM audit_log WHERE seq=2"), std::exception);
  EXPECT_TRUE(verify().ok);
}

TEST_P(AuditChain, EditedEntryIsNamed) {
  tamper("UPDATE audit_log SET actor='mallory' WHERE seq=3");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_NE(v.problem.find("altered"), std::string::npos) << v.problem;
}

TEST_P(AuditChain, EditedDetailIsNamed) {
  tamper(R"(UPDATE audit_log SET detail='{"n":99}' WHERE seq=2)");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2);
}

TEST_P(AuditChain, RehashedEditBreaksTheNextLink) {
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

TEST_P(AuditChain, DeletedEntryIsNamed) {
  tamper("DELETE FROM audit_log WHERE seq=2");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 2);
  EXPECT_NE(v.problem.find("missing"), std::string::npos) << v.problem;
}

TEST_P(AuditChain, DeletedNewestEntryIsNamed) {
  tamper("DELETE FROM audit_log WHERE seq=5");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditChain, ::testing::Values("sqlite", "postgresql"), testing_store::backend_name);

}  // namespace
}  // namespace townhall
