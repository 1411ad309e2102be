// Two `townhall serve` processes over one PostgreSQL database, clients spread over both; one
// server is killed with SIGKILL in the middle of the load, and every request it left unanswered is
// sent again, with the same Idempotency-Key and body, to the other. Nothing acknowledged may be
// lost and nothing stored twice: each key the clients sent is stored exactly once, under the
// reference every acknowledgement of it carried, and the audit chain verifies. The database is a
// schema of its own in the throwaway cluster ctest starts (skipped, saying so, without one).
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "../core/store_backends.h"
#include "http_client.h"

namespace townhall::testing {
namespace {

std::string run_cli(const std::string& args, int* exit_code) {
  std::string out;
  FILE* p = popen((std::string(TOWNHALL_CLI) + " " + args).c_str(), "r");
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// What the clients were told: key -> every reference acknowledged for it.
struct Acknowledged {
  std::mutex mu;
  std::map<std::string, std::vector<std::string>> refs;
  std::atomic<int> count{0};
  std::atomic<int> retried_elsewhere{0};
  std::atomic<int> refused{0};
};

// One client: posts new responses to its server; a request that gets no answer (the server died)
// goes, unchanged, to the other server until it is answered.
void two_server_client(const std::array<uint16_t, 2>& ports, int first, const std::string& id, int client,
                       const std::atomic<bool>& stop, const std::atomic<bool>& first_dead, Acknowledged& out) {
  const std::string path = "/api/v1/consultations/" + id + "/responses";
  int on = first;
  auto conn = std::make_unique<HttpClient>(ports[static_cast<size_t>(on)]);
  for (int i = 0; !stop.load(); ++i) {
    const std::string key = "kill-" + std::to_string(client) + "-" + std::to_string(i);
    nlohmann::json body = {{"answers", {{"ok", i % 2 == 0}, {"why", "client " + std::to_string(client) + " #" + std::to_string(i)}}}};
    for (int attempt = 0;; ++attempt) {
      HttpResult r;
      try {
        r = conn->post(path, body, {{"Idempotency-Key", key}});
      } catch (const std::exception&) {
        r.status = 0;  // connection refused: the server is gone
      }
      if (r.status == 201 || r.status == 200) {
        std::lock_guard lock(out.mu);
        out.refs[key].push_back(r.json()["reference"]);
        ++out.count;
        break;
      }
      if (r.status != 0) {
        ++out.refused;
        ADD_FAILURE() << key << ": " << r.status << " " << r.body;
        break;
      }
      // No answer: only the killed server (0) fails like that. Go to the other one, same key.
      if (on == 1 || attempt > 50) {
        ADD_FAILURE() << key << ": no answer from server " << on << (first_dead.load() ? "" : " (still alive)");
        return;
      }
      on = 1;
      conn = std::make_unique<HttpClient>(ports[1]);
      ++out.retried_elsewhere;
    }
  }
}

TEST(TwoServers, OneKilledMidLoadLosesNothingAcknowledgedAndStoresNothingTwice) {
  const std::string cluster = testing_store::postgres_test_url();
  if (cluster.empty()) {
    GTEST_SKIP() << "no PostgreSQL test cluster (TOWNHALL_TEST_PG_URL or TOWNHALL_TEST_PG_URL_FILE; ctest starts one "
                    "when scripts/pg-cluster.sh finds PostgreSQL's server binaries)";
  }
  if (!testing_store::postgres_store_built()) GTEST_SKIP() << "this build has no libpq";
  testing_store::PostgresTestDatabase db(cluster);
  // Every server seals the audit log with the same key, as a council's servers would.
  const std::string url = db.url() + "&audit_key=" + db.audit_key();
  int code = -1;
  std::string token = run_cli("users add --db '" + url + "' --create --role officer 2>/dev/null", &code);
  ASSERT_EQ(code, 0) << token;
  while (!token.empty() && token.back() == '\n') token.pop_back();

  const std::string approver_token = add_console_officer(TOWNHALL_CLI, url, "approver");
  ServerProcess doomed(url), survivor(url);
  std::string id;
  {
    HttpClient officer(survivor.port), approver(survivor.port);
    officer.token = token;
    approver.token = approver_token;
    id = open_load_test_consultation(officer, approver);
  }

  constexpr int kClients = 8;
  const std::array<uint16_t, 2> ports = {doomed.port, survivor.port};
  std::atomic<bool> stop{false}, first_dead{false};
  Acknowledged acked;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back(two_server_client, std::cref(ports), c % 2, id, c, std::cref(stop), std::cref(first_dead),
                         std::ref(acked));
  }
  // Mid-load: at least a second of it and a few hundred responses in (bounded at 10 s).
  auto start = std::chrono::steady_clock::now();
  auto since = [&] { return std::chrono::steady_clock::now() - start; };
  while (since() < std::chrono::seconds(10) && (acked.count.load() < 400 || since() < std::chrono::seconds(1))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int before_kill = acked.count.load();
  first_dead = true;
  doomed.kill_hard();
  // The survivor carries on alone for a while, taking the retries and new responses.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_GT(before_kill, 0);
  EXPECT_GT(acked.count.load(), before_kill);
  EXPECT_EQ(acked.refused.load(), 0);

  // Every key the clients sent was acknowledged (they retried until it was), so the database
  // holds exactly those keys, once each, under the references the clients were given.
  std::map<std::string, std::vector<std::string>> stored;
  {
    PGconn* c = PQconnectdb(db.url().c_str());  // libpq's own URL, without Townhall's settings
    const char* values[] = {id.c_str()};
    PGresult* r = PQexecParams(c, "SELECT idempotency_key, reference FROM responses WHERE consultation_id = $1", 1,
                               nullptr, values, nullptr, nullptr, 0);
    ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(c);
    for (int i = 0; i < PQntuples(r); ++i) stored[PQgetvalue(r, i, 0)].push_back(PQgetvalue(r, i, 1));
    PQclear(r);
    PQfinish(c);
  }
  int lost = 0, twice = 0, differing = 0;
  for (const auto& [key, refs] : acked.refs) {
    auto it = stored.find(key);
    if (it == stored.end()) {
      if (++lost <= 10) ADD_FAILURE() << "acknowledged " << key << " (" << refs[0] << ") is not stored";
      continue;
    }
    for (const auto& ref : refs) differing += ref != it->second[0];
  }
  for (const auto& [key, refs] : stored) twice += refs.size() > 1;
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(twice, 0);
  EXPECT_EQ(differing, 0);
  EXPECT_EQ(stored.size(), acked.refs.size());
  std::string out = run_cli("audit verify --db '" + url + "' 2>&1", &code);
  EXPECT_EQ(code, 0) << out;
  std::printf("two servers: %d acknowledged before SIGKILL, %d in all (%zu keys), %d requests sent again to the "
              "other server; %zu stored\n",
              before_kill, acked.count.load(), acked.refs.size(), acked.retried_elsewhere.load(), stored.size());
  EXPECT_EQ(survivor.stop(), 0);
}

}  // namespace
}  // namespace townhall::testing
