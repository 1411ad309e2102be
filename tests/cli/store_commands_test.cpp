// `townhall users add`, `townhall audit verify` and `townhall audit anchor` run as an administrator
// would, and attacked as someone who can write the database file but not read the audit key.
#include <gtest/gtest.h>

#include <openssl/sha.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace {

using townhall::testing::run_cli;

std::string temp_db() {
  char tmpl[] = "/tmp/townhall-cli-db-XXXXXX";
  return std::string(mkdtemp(tmpl)) + "/t.db";
}

void exec_sql(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(h);
}

TEST(CliStore, UsersAddPrintsA256BitTokenAndAuditVerifyPasses) {
  std::string db = temp_db();
  auto r = run_cli("users add --db " + db + " --create --role officer --name Ada");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.size(), 65u);  // 64 hex characters and a newline
  EXPECT_EQ(r.out.find_first_not_of("0123456789abcdef\n"), std::string::npos);
  auto r2 = run_cli("users add --db " + db + " --role officer");
  EXPECT_NE(r.out, r2.out);
  auto v = run_cli("audit verify --db " + db);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("2 entries"), std::string::npos) << v.out;
  std::filesystem::remove_all(std::filesystem::path(db).parent_path());
}

TEST(CliStore, UnknownRoleIsBadInput) {
  std::string db = temp_db();
  auto r = run_cli("users add --db " + db + " --role mayor");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--role"), std::string::npos) << r.err;
  std::filesystem::remove_all(std::filesystem::path(db).parent_path());
}

TEST(CliStore, AuditVerifyNamesTheFirstTamperedEntry) {
  std::string db = temp_db();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(run_cli("users add --db " + db + " --create --role admin").exit_code, 0);
  exec_sql(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail='{}' WHERE seq=2");
  auto v = run_cli("audit verify --db " + db + " --json");
  EXPECT_EQ(v.exit_code, 1);
  auto j = nlohmann::json::parse(v.out);
  EXPECT_EQ(j["first_bad_seq"], 2);
  EXPECT_FALSE(j["ok"].get<bool>());
  std::filesystem::remove_all(std::filesystem::path(db).parent_path());
}

TEST(CliStore, AuditVerifyNamesADeletedEntry) {
  std::string db = temp_db();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(run_cli("users add --db " + db + " --create --role admin").exit_code, 0);
  exec_sql(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq=1");
  auto v = run_cli("audit verify --db " + db);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("entry 1"), std::string::npos) << v.out;
  std::filesystem::remove_all(std::filesystem::path(db).parent_path());
}

}  // namespace

namespace {

TEST(CliStore, DemoSeedCreatesConsultationsInEveryStateWithAnIntactAuditLog) {
  std::string db = temp_db();
  auto r = run_cli("demo seed --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.size(), 65u);
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(h, "SELECT status, COUNT(*) FROM consultations GROUP BY status ORDER BY status", -1, &st, nullptr), SQLITE_OK);
  std::string seen;
  while (sqlite3_step(st) == SQLITE_ROW) {
    seen += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) + "=" +
            std::to_string(sqlite3_column_int(st, 1)) + " ";
  }
  sqlite3_finalize(st);
  ASSERT_EQ(sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM key_decisions", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 2);
  sqlite3_finalize(st);
  sqlite3_close(h);
  EXPECT_EQ(seen, "closed=1 draft=1 open=2 outcome_published=1 scheduled=1 ");
  EXPECT_EQ(run_cli("audit verify --db " + db).exit_code, 0);
  // Seeding twice does not duplicate.
  EXPECT_EQ(run_cli("demo seed --db " + db).exit_code, 0);
  std::filesystem::remove_all(std::filesystem::path(db).parent_path());
}

}  // namespace

// ---- database files, the sealed audit log and its anchors ----------------------------------------

namespace {

namespace fs = std::filesystem;

std::string sha256_hex(const std::string& data) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : d) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> names_in(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

// An attacker with write access to the database file (not to the audit key): edits entry `seq`
// and recomputes every hash after it, as the log's definition says, and the recorded head.
void rewrite_and_rehash(const std::string& db, int seq) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, "DROP TRIGGER audit_log_no_update", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(h, "SELECT seq, at, actor, action, subject_kind, subject_id, detail FROM audit_log ORDER BY seq",
                               -1, &q, nullptr),
            SQLITE_OK);
  std::vector<std::pair<int, std::string>> hashes;
  std::string prev(64, '0');
  while (sqlite3_step(q) == SQLITE_ROW) {
    auto text = [&](int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, i))); };
    int s = sqlite3_column_int(q, 0);
    nlohmann::json canonical = {{"seq", s}, {"at", text(1)}, {"actor", s == seq ? "mallory" : text(2)},
                                {"action", text(3)}, {"subject_kind", text(4)}, {"subject_id", text(5)},
                                {"detail", nlohmann::json::parse(text(6))}};
    prev = sha256_hex(prev + "\n" + canonical.dump());
    hashes.emplace_back(s, prev);
  }
  sqlite3_finalize(q);
  std::string sql = "UPDATE audit_log SET actor='mallory' WHERE seq=" + std::to_string(seq) + ";";
  std::string before(64, '0');
  for (const auto& [s, hash] : hashes) {
    sql += "UPDATE audit_log SET prev_hash='" + before + "', hash='" + hash + "' WHERE seq=" + std::to_string(s) + ";";
    before = hash;
  }
  sql += "UPDATE audit_head SET hash='" + before + "';";
  EXPECT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(h);
  sqlite3_close(h);
}

// Deletes the newest entry and moves the recorded head back to the entry before it.
void cut_newest(const std::string& db) {
  exec_sql(db,
           "DROP TRIGGER audit_log_no_delete;"
           "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log);"
           "UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log),"
           "  hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1);");
}

class CliAudit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = townhall::testing::make_temp_dir("townhall-cli-audit");
    db = dir + "/t.db";
    for (int i = 0; i < 4; ++i) ASSERT_EQ(run_cli("users add --db " + db + " --create --role admin").exit_code, 0);
    auto a = run_cli("audit anchor --db " + db);
    ASSERT_EQ(a.exit_code, 0) << a.err;
    anchor = a.out.substr(0, a.out.find('\n'));
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string dir, db, anchor;
};

TEST_F(CliAudit, AnAnchorIsOneSignedLineTheIntactLogExtends) {
  EXPECT_EQ(anchor.rfind("townhall-audit-anchor/1 entry=4 hash=", 0), 0u) << anchor;
  EXPECT_NE(anchor.find(" sig="), std::string::npos);
  auto v = run_cli("audit verify --db " + db + " --anchor '" + anchor + "'");
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("audit log intact: 4 entries, sealed from entry 1"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("anchor of entry 4"), std::string::npos) << v.out;
  // Minutes that carry the line among other words, after the log has grown.
  ASSERT_EQ(run_cli("users add --db " + db + " --role officer").exit_code, 0);
  std::string minutes = dir + "/minutes.txt";
  std::ofstream(minutes) << "Item 7. The audit log was anchored:\n" << anchor << "\nAgreed.\n";
  auto j = run_cli("audit verify --db " + db + " --anchor " + minutes + " --json");
  EXPECT_EQ(j.exit_code, 0) << j.out << j.err;
  auto out = nlohmann::json::parse(j.out);
  EXPECT_EQ(out["state"], "ok");
  EXPECT_EQ(out["entries"], 5);
  EXPECT_TRUE(out["anchors"][0]["ok"].get<bool>());
  // A malformed anchor is bad input naming the option and the field.
  auto bad = run_cli("audit verify --db " + db + " --anchor 'townhall-audit-anchor/1 entry=x'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--anchor: anchor 1/entry"), std::string::npos) << bad.err;
}

TEST_F(CliAudit, AnEditWithEveryHashRecomputedFailsVerificationAndTheAnchor) {
  rewrite_and_rehash(db, 2);
  auto v = run_cli("audit verify --db " + db + " --json");
  EXPECT_EQ(v.exit_code, 1) << v.out;
  auto j = nlohmann::json::parse(v.out);
  EXPECT_EQ(j["state"], "broken");
  EXPECT_EQ(j["first_bad_seq"], 2);
  // Without the key only the anchor can tell, and it does.
  fs::rename(db + ".audit-key", dir + "/elsewhere.key");
  auto a = run_cli("audit verify --db " + db + " --anchor '" + anchor + "'");
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_NE(a.out.find("AUDIT LOG UNVERIFIED"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("ANCHOR of entry 4"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("rewritten"), std::string::npos) << a.out;
}

TEST_F(CliAudit, DeletingTheNewestEntryAndMovingTheHeadBackFailsVerificationAndTheAnchor) {
  cut_newest(db);
  auto v = run_cli("audit verify --db " + db);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_NE(v.out.find("AUDIT LOG BROKEN at entry 4"), std::string::npos) << v.out;
  auto a = run_cli("audit verify --db " + db + " --anchor '" + anchor + "' --json");
  EXPECT_EQ(a.exit_code, 1);
  auto j = nlohmann::json::parse(a.out);
  EXPECT_FALSE(j["anchors"][0]["ok"].get<bool>());
  EXPECT_NE(j["anchors"][0]["problem"].get<std::string>().find("deleted"), std::string::npos) << a.out;
  // A broken log is not anchored.
  auto refused = run_cli("audit anchor --db " + db);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(refused.out.empty()) << refused.out;
}

TEST(CliDatabaseFiles, ReadingCommandsNeverMakeAFile) {
  std::string dir = townhall::testing::make_temp_dir("townhall-cli-files");
  std::string typo = dir + "/typo.db";
  auto v = run_cli("audit verify --db " + typo);
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find("no Townhall database at " + typo), std::string::npos) << v.err;
  EXPECT_EQ(run_cli("audit anchor --db " + typo).exit_code, 2);
  auto report = run_cli("panel report --db " + typo + " --census tenure");
  EXPECT_EQ(report.exit_code, 2);
  EXPECT_NE(report.err.find("no Townhall database at"), std::string::npos) << report.err;
  EXPECT_TRUE(names_in(dir).empty());
  // Nor a -wal or -shm file beside a database they read.
  std::string db = dir + "/t.db";
  ASSERT_EQ(run_cli("users add --db " + db + " --create --role admin").exit_code, 0);
  auto before = names_in(dir);
  std::string bytes = bytes_of(db);
  EXPECT_EQ(run_cli("audit verify --db " + db).exit_code, 0);
  EXPECT_EQ(names_in(dir), before);
  EXPECT_EQ(bytes_of(db), bytes);
  fs::remove_all(dir);
}

TEST(CliDatabaseFiles, OnlyAskedForDoesAWritingCommandMakeADatabase) {
  std::string dir = townhall::testing::make_temp_dir("townhall-cli-files");
  std::string db = dir + "/new.db";
  auto r = run_cli("users add --db " + db + " --role admin");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no Townhall database at " + db + " (give --create to make a new one)"), std::string::npos)
      << r.err;
  EXPECT_TRUE(names_in(dir).empty());
  auto made = run_cli("users add --db " + db + " --role admin --create");
  EXPECT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.err.find("made a new Townhall database at " + db), std::string::npos) << made.err;
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"new.db", "new.db.audit-key", "new.db.audit-key.head"}));
  fs::remove_all(dir);
}

TEST(CliDatabaseFiles, AnotherProgramsFilesAreRefusedUntouched) {
  std::string dir = townhall::testing::make_temp_dir("townhall-cli-files");
  std::string other = dir + "/other.db", empty = dir + "/empty.db", notes = dir + "/notes.db";
  exec_sql(other, "CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('soup');");
  std::ofstream(empty).close();
  std::ofstream(notes) << "not a database\n";
  std::string members = townhall::testing::write_temp("name,ward,consent\nAda,Golborne,yes\n", ".csv");
  const std::string other_bytes = bytes_of(other);
  const auto before = names_in(dir);
  for (const std::string& command : std::vector<std::string>{"users add --role admin --create --db ", "users add --role admin --db ",
                              "panel import " + members + " --create --db ", "audit verify --db "}) {
    auto r = run_cli(command + other);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find(other + " is an SQLite database but not a Townhall one — refusing to change it"),
              std::string::npos)
        << command << r.err;
    auto n = run_cli(command + notes);
    EXPECT_EQ(n.exit_code, 2) << command;
    EXPECT_NE(n.err.find("not an SQLite database"), std::string::npos) << command << n.err;
  }
  auto z = run_cli("audit verify --db " + empty);
  EXPECT_EQ(z.exit_code, 2);
  EXPECT_NE(z.err.find(empty + " is empty"), std::string::npos) << z.err;
  EXPECT_EQ(run_cli("users add --role admin --db " + empty).exit_code, 2);
  EXPECT_EQ(bytes_of(other), other_bytes);
  EXPECT_EQ(bytes_of(empty), "");
  EXPECT_EQ(bytes_of(notes), "not a database\n");
  EXPECT_EQ(names_in(dir), before);
  // Asked to make a database, an empty file becomes one.
  EXPECT_EQ(run_cli("users add --role admin --create --db " + empty).exit_code, 0);
  EXPECT_EQ(run_cli("audit verify --db " + empty).exit_code, 0);
  fs::remove_all(dir);
  std::remove(members.c_str());
}

TEST(CliDatabaseFiles, HelpListsTheAuditCommands) {
  auto r = run_cli("help");
  EXPECT_NE(r.out.find("townhall audit anchor --db PATH"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("townhall audit verify --db PATH [--anchor FILE|TEXT]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[--create]"), std::string::npos) << r.out;
}

}  // namespace
