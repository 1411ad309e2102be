// `townhall users add` and `townhall audit verify` run as an administrator would.
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

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
  auto r = run_cli("users add --db " + db + " --role officer --name Ada");
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
  for (int i = 0; i < 3; ++i) ASSERT_EQ(run_cli("users add --db " + db + " --role admin").exit_code, 0);
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
  for (int i = 0; i < 3; ++i) ASSERT_EQ(run_cli("users add --db " + db + " --role admin").exit_code, 0);
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
