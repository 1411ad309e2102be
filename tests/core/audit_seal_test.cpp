// The sealed audit log and its anchors, attacked as someone who can write the database file but
// not read the audit key would attack it: rewriting an entry and recomputing every hash, cutting
// off the newest entry and moving the head back, removing the seals. And which files a store may
// open, make or change.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "townhall/audit/audit_key.h"
#include "townhall/store/sqlite_store.h"

namespace townhall {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/townhall-seal-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return dir_ + "/" + name; }
  std::set<std::string> names() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.insert(e.path().filename().string());
    return out;
  }

 private:
  std::string dir_;
};

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::unique_ptr<Store> open_or_fail(const std::string& path, SqliteOptions o = {}) {
  auto s = open_sqlite_store(path, o);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().describe());
  return s.ok() ? std::move(s).value() : nullptr;
}

AuditEvent event(int i) { return AuditEvent{"user:1", "test.event", "thing", std::to_string(i), {{"n", i}}}; }

AuditVerification verify(const std::string& path, SqliteOptions o = {}) {
  o.read_only = true;
  auto s = open_or_fail(path, o);
  if (!s) return AuditVerification{};
  auto v = s->verify_audit();
  EXPECT_TRUE(v.ok());
  return v.ok() ? *v : AuditVerification{};
}

std::vector<AuditEntry> entries_of(const std::string& path) {
  auto s = open_or_fail(path, SqliteOptions::reading());
  return s ? *s->audit_entries() : std::vector<AuditEntry>{};
}

void exec(const std::string& path, const std::string& sql) {
  SQLite::Database raw(path, SQLite::OPEN_READWRITE);
  raw.exec(sql);
}

// What someone with write access to the file can do: drop the guards, edit entry `seq`, and
// recompute every hash from there on and the head, so that the hash chain holds again.
void rewrite_and_rehash(const std::string& path, int64_t seq, bool drop_seals) {
  auto entries = entries_of(path);
  SQLite::Database raw(path, SQLite::OPEN_READWRITE);
  raw.exec("DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;");
  std::string prev = kAuditGenesisHash;
  for (auto& e : entries) {
    if (e.seq == seq) e.event.actor = "mallory";
    e.prev_hash = prev;
    e.hash = audit_hash(prev, e.seq, e.at, e.event);
    SQLite::Statement up(raw, drop_seals ? "UPDATE audit_log SET actor=?, prev_hash=?, hash=?, seal=NULL WHERE seq=?"
                                         : "UPDATE audit_log SET actor=?, prev_hash=?, hash=? WHERE seq=?");
    up.bind(1, e.event.actor);
    up.bind(2, e.prev_hash);
    up.bind(3, e.hash);
    up.bind(4, e.seq);
    up.exec();
    prev = e.hash;
  }
  SQLite::Statement head(raw, "UPDATE audit_head SET hash=? WHERE singleton=1");
  head.bind(1, prev);
  head.exec();
}

// Deletes the newest entry and moves the recorded head back to the one before it.
void cut_newest(const std::string& path) {
  exec(path,
       "DROP TRIGGER IF EXISTS audit_log_no_delete;"
       "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log);"
       "UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log),"
       "  hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1);");
}

class SealedLog : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_or_fail(db, SqliteOptions::creating());
    ASSERT_TRUE(s);
    for (int i = 1; i <= 5; ++i) ASSERT_TRUE(s->append_audit(event(i)).ok());
  }
  TempDir dir;
  std::string db = dir.file("t.db");
  std::string key_path = dir.file("t.db.audit-key");
};

TEST_F(SealedLog, ANewDatabaseIsSealedWithAPrivateKeyBesideIt) {
  struct stat st {};
  ASSERT_EQ(::stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(bytes_of(key_path).rfind("townhall-audit-key/1 ", 0), 0u);
  EXPECT_TRUE(fs::exists(key_path + ".head"));
  auto key = AuditKey::load(key_path);
  ASSERT_TRUE(key.ok()) << key.error().describe();
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kIntact) << v.problem;
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.entries, 5);
  EXPECT_EQ(v.sealed_from, 1);
  EXPECT_EQ(v.public_key, (*key)->public_key());
  // Each seal is the key's HMAC of the entry's number and hash, and the key stays out of the file.
  for (const auto& e : entries_of(db)) {
    EXPECT_TRUE((*key)->seal_matches(audit_seal_text(e.seq, e.hash), e.seal)) << e.seq;
  }
  EXPECT_EQ(bytes_of(db).find(bytes_of(key_path).substr(21, 64)), std::string::npos);
  auto mark = (*key)->read_head_mark();
  ASSERT_TRUE(mark.ok() && mark->has_value());
  EXPECT_EQ((*mark)->seq, 5);
}

TEST_F(SealedLog, AnEditWithEveryHashRecomputedIsBroken) {
  rewrite_and_rehash(db, 3, false);
  // The hashes alone no longer show it...
  auto entries = entries_of(db);
  EXPECT_TRUE(verify_audit_chain(entries, 5, entries.back().hash).ok);
  // ...the seals do.
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kBroken);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_NE(v.problem.find("seal"), std::string::npos) << v.problem;
}

TEST_F(SealedLog, AnEditWithEveryHashRecomputedAndTheSealsRemovedIsBroken) {
  rewrite_and_rehash(db, 2, true);
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kBroken) << v.problem;
  EXPECT_EQ(v.first_bad_seq, 5);  // the newest entry the key sealed is not there any more
  EXPECT_NE(v.problem.find("rewritten"), std::string::npos) << v.problem;
}

TEST_F(SealedLog, DeletingTheNewestEntryAndMovingTheHeadBackIsBroken) {
  cut_newest(db);
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kBroken) << v.problem;
  EXPECT_EQ(v.first_bad_seq, 5);
  EXPECT_NE(v.problem.find("missing"), std::string::npos) << v.problem;
}

TEST_F(SealedLog, WritingOnAfterACutKeepsTheEvidence) {
  cut_newest(db);
  {
    auto s = open_or_fail(db);
    ASSERT_TRUE(s);
    for (int i = 6; i <= 8; ++i) ASSERT_TRUE(s->append_audit(event(i)).ok());  // entries 5', 6', 7'
  }
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kBroken) << v.problem;
  EXPECT_EQ(v.first_bad_seq, 5);
}

TEST_F(SealedLog, RemovingTheSealingRecordAndTheSealsIsBroken) {
  exec(db,
       "DROP TRIGGER audit_sealing_no_delete; DELETE FROM audit_sealing;"
       "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET seal = NULL;");
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kBroken) << v.problem;
  EXPECT_NE(v.problem.find("no record of its audit key"), std::string::npos) << v.problem;
}

TEST_F(SealedLog, AnAlteredSealingRecordIsBroken) {
  // Moving the start of the seals past the end would leave every entry "before sealing".
  exec(db, "DROP TRIGGER audit_sealing_no_update; UPDATE audit_sealing SET sealed_from = 100;");
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kBroken) << v.problem;
  EXPECT_NE(v.problem.find("record of its audit key was altered"), std::string::npos) << v.problem;
}

TEST_F(SealedLog, WithoutItsKeyTheStoreStillWritesAndSaysTheLogCannotBeVerified) {
  fs::rename(key_path, key_path + ".away");
  {
    auto s = open_or_fail(db);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->append_audit(event(6)).ok());
    auto v = s->verify_audit();
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->state, AuditState::kUnverified);
    EXPECT_NE(v->problem.find("no audit key at " + key_path), std::string::npos) << v->problem;
  }
  EXPECT_FALSE(fs::exists(key_path));  // a sealed log never gets a new key behind its back
  EXPECT_TRUE(entries_of(db).back().seal.empty());
  fs::rename(key_path + ".away", key_path);
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kUnverified) << v.problem;
  EXPECT_EQ(v.first_bad_seq, 6);
  EXPECT_NE(v.problem.find("carry no seal"), std::string::npos) << v.problem;
}

TEST_F(SealedLog, AKeyOthersMayReadIsRefused) {
  ASSERT_EQ(::chmod(key_path.c_str(), 0644), 0);
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kUnverified);
  EXPECT_NE(v.problem.find("chmod 600"), std::string::npos) << v.problem;
}

TEST_F(SealedLog, AnotherKeyIsNotThisLogsKey) {
  std::string other = dir.file("other.key");
  ASSERT_TRUE(AuditKey::create(other).ok());
  SqliteOptions o;
  o.audit_key_file = other;
  auto v = verify(db, o);
  EXPECT_EQ(v.state, AuditState::kUnverified);
  EXPECT_NE(v.problem.find("is not the key this log is sealed with"), std::string::npos) << v.problem;
}

TEST_F(SealedLog, AnchorsShowRewritesAndDeletionsEvenWithoutTheKey) {
  auto key = AuditKey::load(key_path);
  ASSERT_TRUE(key.ok());
  auto v = verify(db);
  ASSERT_TRUE(v.ok) << v.problem;
  AuditAnchor anchor = make_audit_anchor(**key, v.head_seq, v.head_hash);
  auto parsed = parse_audit_anchors("Minutes of the meeting.\n" + anchor.text() + "\nEnd.");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].text(), anchor.text());
  EXPECT_TRUE(check_audit_anchor(entries_of(db), v, anchor).ok);
  {
    auto s = open_or_fail(db);
    ASSERT_TRUE(s->append_audit(event(6)).ok());
  }
  auto later = verify(db);
  EXPECT_TRUE(check_audit_anchor(entries_of(db), later, anchor).ok) << "a longer log still extends the anchor";

  // An auditor without the key: the log cannot be verified, but the anchor still decides.
  fs::rename(key_path, key_path + ".away");
  std::string rewritten = dir.file("rewritten.db"), cut = dir.file("cut.db");
  fs::copy_file(db, rewritten);
  fs::copy_file(db, cut);
  rewrite_and_rehash(rewritten, 2, true);
  cut_newest(cut);
  cut_newest(cut);
  auto vr = verify(rewritten);
  EXPECT_EQ(vr.state, AuditState::kUnverified) << vr.problem;
  auto r = check_audit_anchor(entries_of(rewritten), vr, anchor);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("rewritten"), std::string::npos) << r.problem;
  auto c = check_audit_anchor(entries_of(cut), verify(cut), anchor);
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.problem.find("deleted"), std::string::npos) << c.problem;

  // An anchor whose entry number was changed no longer matches its signature.
  AuditAnchor forged = anchor;
  forged.seq = 4;
  forged.hash = entries_of(db)[3].hash;
  auto f = check_audit_anchor(entries_of(db), later, forged);
  EXPECT_FALSE(f.ok);
  EXPECT_NE(f.problem.find("signature"), std::string::npos) << f.problem;
}

TEST_F(SealedLog, AnAnchorSignedWithAnotherKeyIsRefused) {
  auto other = AuditKey::create(dir.file("other.key"));
  ASSERT_TRUE(other.ok());
  auto v = verify(db);
  AuditAnchor anchor = make_audit_anchor(**other, v.head_seq, v.head_hash);
  auto r = check_audit_anchor(entries_of(db), v, anchor);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("another key"), std::string::npos) << r.problem;
}

TEST(AuditAnchorText, EveryAnchorInATextIsReadAndABadFieldIsNamed) {
  std::string h(64, 'a'), k(64, 'b'), s(128, 'c');
  auto line = [&](int n) {
    return "townhall-audit-anchor/1 entry=" + std::to_string(n) + " hash=" + h + " at=2026-12-06T10:00:00Z key=" + k +
           "\n  sig=" + s + ".";
  };
  auto two = parse_audit_anchors("Item 4. " + line(7) + "\nItem 9. " + line(12));
  ASSERT_TRUE(two.ok()) << two.error().describe();
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].seq, 7);
  EXPECT_EQ((*two)[1].seq, 12);
  EXPECT_EQ((*two)[1].signature, s);  // the full stop after it is not part of it
  EXPECT_EQ(parse_audit_anchors("no anchor here").error().field, "anchor");
  std::string bad = line(3);
  bad.replace(bad.find("at=2026-12-06T10:00:00Z"), 23, "at=yesterday");
  EXPECT_EQ(parse_audit_anchors(bad).error().field, "anchor 1/at");
  std::string short_hash = line(3);
  short_hash.replace(short_hash.find("hash=") + 5, 64, "abc");
  EXPECT_EQ(parse_audit_anchors(short_hash).error().field, "anchor 1/hash");
  std::string no_sig = line(3).substr(0, line(3).find("sig="));
  EXPECT_EQ(parse_audit_anchors(no_sig).error().field, "anchor 1/sig");
  EXPECT_EQ(parse_audit_anchors(line(0)).error().field, "anchor 1/entry");
}

TEST(AuditKeyFile, IsNeverReplacedAndAMalformedOneIsRefused) {
  TempDir dir;
  std::string path = dir.file("k");
  auto made = AuditKey::create(path);
  ASSERT_TRUE(made.ok()) << made.error().describe();
  std::string before = bytes_of(path);
  auto again = AuditKey::create(path);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(bytes_of(path), before);
  auto loaded = AuditKey::load(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->public_key(), (*made)->public_key());
  // Seals and signatures are the key's own.
  EXPECT_TRUE((*loaded)->seal_matches("text", (*made)->seal("text")));
  EXPECT_FALSE((*loaded)->seal_matches("text!", (*made)->seal("text")));
  EXPECT_TRUE(audit_signature_valid((*made)->public_key(), "m", (*loaded)->sign("m")));
  EXPECT_FALSE(audit_signature_valid((*made)->public_key(), "n", (*loaded)->sign("m")));

  std::string bad = dir.file("bad");
  {
    std::ofstream(bad) << "townhall-audit-key/1 not-hex\n";
  }
  ::chmod(bad.c_str(), 0600);
  EXPECT_EQ(AuditKey::load(bad).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(AuditKey::load(dir.file("none")).error().code, ErrorCode::kNotFound);
}

TEST(AuditSealUpgrade, AnOlderDatabaseIsSealedFromItsNextEntryAndItsOldChainStillCounts) {
  TempDir dir;
  std::string db = dir.file("old.db");
  {
    SqliteOptions o = SqliteOptions::creating();
    o.target_version = 10;
    auto s = open_or_fail(db, o);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->append_audit(event(1)).ok());
    ASSERT_TRUE(s->append_audit(event(2)).ok());
  }
  EXPECT_FALSE(fs::exists(db + ".audit-key"));  // an older schema has nowhere to keep seals
  {
    auto s = open_or_fail(db);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->schema_version(), sqlite_latest_schema_version());
    ASSERT_TRUE(s->append_audit(event(3)).ok());
  }
  auto v = verify(db);
  EXPECT_EQ(v.state, AuditState::kIntact) << v.problem;
  EXPECT_EQ(v.entries, 3);
  EXPECT_EQ(v.sealed_from, 3);
  auto entries = entries_of(db);
  EXPECT_TRUE(entries[0].seal.empty());
  EXPECT_TRUE(entries[1].seal.empty());
  EXPECT_FALSE(entries[2].seal.empty());
  // Rewriting an entry from before the sealing changes every later hash, sealed ones included.
  rewrite_and_rehash(db, 1, false);
  auto broken = verify(db);
  EXPECT_EQ(broken.state, AuditState::kBroken) << broken.problem;
  EXPECT_EQ(broken.first_bad_seq, 3);
}

// ---- which files a store opens, makes or changes ------------------------------------------------

TEST(DatabaseFiles, AMissingFileIsMadeOnlyWhenAsked) {
  TempDir dir;
  std::string db = dir.file("typo.db");
  for (bool read_only : {false, true}) {
    SqliteOptions o;
    o.read_only = read_only;
    auto s = open_sqlite_store(db, o);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(s.error().message, "no Townhall database at " + db);
    o.create = true;  // a read-only store never makes one
    if (read_only) {
      EXPECT_FALSE(open_sqlite_store(db, o).ok());
    }
  }
  EXPECT_TRUE(dir.names().empty());
  EXPECT_TRUE(open_sqlite_store(db, SqliteOptions::creating()).ok());
  EXPECT_TRUE(fs::exists(db));
}

TEST(DatabaseFiles, AnEmptyFileBecomesADatabaseOnlyWhenAsked) {
  TempDir dir;
  std::string db = dir.file("empty.db");
  std::ofstream(db).close();
  auto s = open_sqlite_store(db);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message, db + " is empty, not a Townhall database");
  EXPECT_EQ(fs::file_size(db), 0u);
  EXPECT_EQ(dir.names(), std::set<std::string>{"empty.db"});
  auto made = open_sqlite_store(db, SqliteOptions::creating());
  ASSERT_TRUE(made.ok()) << made.error().describe();
  EXPECT_EQ((*made)->schema_version(), sqlite_latest_schema_version());
}

TEST(DatabaseFiles, AnotherProgramsSQLiteFileIsRefusedUntouched) {
  TempDir dir;
  std::string db = dir.file("x.db");
  {
    SQLite::Database other(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);");
  }
  const std::string before = bytes_of(db);
  const auto names = dir.names();
  for (bool create : {false, true}) {
    SqliteOptions o;
    o.create = create;
    auto s = open_sqlite_store(db, o);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().message, db + " is an SQLite database but not a Townhall one — refusing to change it");
  }
  EXPECT_EQ(bytes_of(db), before);
  EXPECT_EQ(dir.names(), names);  // not even an audit key, a -wal or a -shm file beside it
  SQLite::Database check(db, SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("SELECT COUNT(*) FROM sqlite_master").getInt(), 1);
}

TEST(DatabaseFiles, AFileThatIsNotSQLiteIsRefusedUntouched) {
  TempDir dir;
  std::string db = dir.file("notes.db");
  std::ofstream(db) << "these are my notes, not a database\n";
  auto s = open_sqlite_store(db, SqliteOptions::creating());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("not an SQLite database"), std::string::npos) << s.error().message;
  EXPECT_EQ(bytes_of(db), "these are my notes, not a database\n");
  EXPECT_EQ(dir.names(), std::set<std::string>{"notes.db"});
  EXPECT_FALSE(open_sqlite_store(dir.file("")).ok());  // a directory is no database either
}

TEST(DatabaseFiles, AReadOnlyStoreChangesNothingAndLeavesNoFileBehind) {
  TempDir dir;
  std::string db = dir.file("t.db");
  {
    SqliteOptions o = SqliteOptions::creating();
    o.target_version = 10;
    auto s = open_or_fail(db, o);
    ASSERT_TRUE(s->append_audit(event(1)).ok());
  }
  const std::string before = bytes_of(db);
  const auto names = dir.names();
  {
    auto s = open_or_fail(db, SqliteOptions::reading());
    ASSERT_TRUE(s);
    EXPECT_EQ(s->schema_version(), 10);  // not upgraded
    auto v = s->verify_audit();
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->entries, 1);
    EXPECT_EQ(v->state, AuditState::kUnverified);  // never sealed, and no key was made for it
    auto w = s->append_audit(event(2));
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.error().code, ErrorCode::kIo);
  }
  EXPECT_EQ(bytes_of(db), before);
  EXPECT_EQ(dir.names(), names);
}


// An in-memory database (the fuzzers', a notebook's scratch store) writes its audit trail like any
// other, but makes no key file: one named after ":memory:" in the working directory would be
// shared by every such database, and the second would find it already sealing another log.
TEST(DatabaseFiles, AnInMemoryDatabaseMakesNoKeyFile) {
  TempDir dir;
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.file(""));
  for (int i = 0; i < 2; ++i) {
    auto s = open_or_fail(":memory:", SqliteOptions::creating());
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->append_audit(event(1)).ok());
    auto v = s->verify_audit();
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->entries, 1);
    EXPECT_EQ(v->state, AuditState::kUnverified);
    EXPECT_NE(v->problem.find("in-memory"), std::string::npos) << v->problem;
  }
  EXPECT_TRUE(dir.names().empty());
  std::filesystem::current_path(cwd);
}

}  // namespace
}  // namespace townhall
