// The backends the store conformance suite runs on: a fresh database per test, on SQLite (a file
// in a directory of its own) or on PostgreSQL (a schema of its own in the throwaway cluster that
// ctest starts: its URL is TOWNHALL_TEST_PG_URL, or is read from the file TOWNHALL_TEST_PG_URL_FILE).
// Without either the PostgreSQL instances are skipped with the reason, never passed silently.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "townhall/store/open_store.h"
#include "townhall/store/postgres_store.h"

namespace townhall::testing_store {

// One SQL statement with up to two text parameters on a backend's database, written with ?1 ?2.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  virtual std::string url() const = 0;          // what open_store takes
  virtual std::string audit_key() const = 0;    // the audit key file for this database
  int64_t exec(const std::string& sql, const std::vector<std::string>& params = {}) { return run(sql, params); }  // rows changed
  virtual int64_t run(const std::string& sql, const std::vector<std::string>& params) = 0;
  virtual std::string scalar(const std::string& sql) = 0;  // the first column of the first row
};

class SqliteTestDatabase final : public TestDatabase {
 public:
  SqliteTestDatabase() {
    char tmpl[] = "/tmp/townhall-conf-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~SqliteTestDatabase() override { std::filesystem::remove_all(dir_); }
  std::string url() const override { return dir_ + "/t.db"; }
  std::string audit_key() const override { return dir_ + "/t.db.audit-key"; }
  int64_t run(const std::string& sql, const std::vector<std::string>& params) override {
    SQLite::Database db(url(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Statement q(db, sql);
    for (size_t i = 0; i < params.size(); ++i) q.bind(static_cast<int>(i + 1), params[i]);
    return q.exec();
  }
  std::string scalar(const std::string& sql) override {
    SQLite::Database db(url(), SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getString();
  }

 private:
  std::string dir_;
};

class PostgresTestDatabase final : public TestDatabase {
 public:
  // `cluster` is the URL of the cluster's maintenance database (…/postgres?host=…).
  // `cluster` is the URL of the cluster's maintenance database (…/postgres?host=…). Each test
  // gets a schema of its own (much quicker to make than a database), named first in the
  // search_path of every connection through the URL.
  explicit PostgresTestDatabase(const std::string& cluster) : cluster_(cluster) {
    static std::atomic<int> counter{0};
    name_ = "th_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(std::random_device{}() % 100000);
    admin("CREATE SCHEMA " + name_);
    url_ = cluster_ + (cluster_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name_;
    char tmpl[] = "/tmp/townhall-conf-pg-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~PostgresTestDatabase() override {
    admin("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    std::filesystem::remove_all(dir_);
  }
  std::string url() const override { return url_; }
  std::string audit_key() const override { return dir_ + "/audit-key"; }
  int64_t run(const std::string& sql, const std::vector<std::string>& params) override {
    PGconn* c = PQconnectdb(url_.c_str());
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(c, dollar(sql).c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                               nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    std::string message = PQresultErrorMessage(r);
    const int64_t n = ok ? std::atoll(PQcmdTuples(r)) : -1;
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error(message);
    return n;
  }
  std::string scalar(const std::string& sql) override {
    PGconn* c = PQconnectdb(url_.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    std::string out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    PQfinish(c);
    return out;
  }

 private:
  static std::string dollar(std::string sql) {
    for (size_t i = 0; (i = sql.find('?', i)) != std::string::npos;) sql[i] = '$';
    return sql;
  }
  void admin(const std::string& sql) {
    PGconn* c = PQconnectdb(cluster_.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string message = ok ? "" : std::string(PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error(sql + ": " + message);
  }

  std::string cluster_, name_, url_, dir_;
};

// The created_at text (as the stores write it) of an instant `seconds` ago.
inline std::string created_seconds_ago(int64_t seconds) {
  std::time_t t = std::time(nullptr) - static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

// The test cluster's URL, or "" when there is none.
inline std::string postgres_test_url() {
  if (const char* url = std::getenv("TOWNHALL_TEST_PG_URL"); url != nullptr && *url != '\0') return url;
  const char* file = std::getenv("TOWNHALL_TEST_PG_URL_FILE");
  if (file == nullptr || *file == '\0') return "";
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

inline bool postgres_store_built() { return postgres_latest_schema_version() > 0; }

// The fixture of the conformance suite: GetParam() is "sqlite" or "postgresql".
class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      const std::string cluster = postgres_test_url();
      if (cluster.empty()) {
        GTEST_SKIP() << "PostgreSQL instance skipped: no test cluster (TOWNHALL_TEST_PG_URL is not set and "
                        "TOWNHALL_TEST_PG_URL_FILE names no file; ctest writes it when scripts/pg-cluster.sh "
                        "finds PostgreSQL's server binaries — run scripts/install-deps.sh)";
      }
      if (!postgres_store_built()) GTEST_SKIP() << "PostgreSQL instance skipped: this build has no libpq";
      db = std::make_unique<PostgresTestDatabase>(cluster);
    } else {
      db = std::make_unique<SqliteTestDatabase>();
    }
  }
  void TearDown() override {
    store.reset();
    db.reset();
  }
  // Opens (making when new) the test's database; `retention_days` as SqliteOptions.
  std::unique_ptr<Store> open(int retention_days = 7) {
    SqliteOptions o;
    o.create = true;
    o.idempotency_retention_days = retention_days;
    o.audit_key_file = db->audit_key();
    auto s = open_store(db->url(), o);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().describe());
    return s.ok() ? std::move(s).value() : nullptr;
  }
  bool postgres() const { return GetParam() == "postgresql"; }

  std::unique_ptr<TestDatabase> db;
  std::unique_ptr<Store> store;
};

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace townhall::testing_store
