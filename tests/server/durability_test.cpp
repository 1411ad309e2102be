// Durability across a crash: the real `townhall serve` takes responses from several clients at
// once and is killed with SIGKILL in the middle of the load. Every response it acknowledged (201
// with a reference) must be in the database when it starts again, the database must pass SQLite's
// integrity check, and the audit chain must verify. A response is acknowledged only after the
// transaction holding it has committed, and with synchronous=NORMAL in WAL mode a commit survives
// the process dying (not necessarily the machine), so nothing acknowledged may be missing.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>

#include "http_client.h"

namespace townhall::testing {
namespace {

std::string run_command(const std::string& cmd, int* exit_code) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

class Durability : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/townhall-durability-XXXXXX";
    dir = mkdtemp(tmpl);
    db = dir + "/townhall.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string dir, db;
};

// One client: posts responses on its own keep-alive connection until told to stop or the server
// goes away, keeping the reference of every 201.
struct Client {
  std::vector<std::string> acknowledged;
  int unanswered = 0;  // requests sent that got no complete answer (the server died meanwhile)
  int refused = 0;     // complete answers other than 201 (there should be none)
};

void load(uint16_t port, const std::string& id, int client, const std::atomic<bool>& stop,
          std::atomic<int>& acks, Client& out) {
  HttpClient c(port);
  const std::string path = "/api/v1/consultations/" + id + "/responses";
  for (int i = 0; !stop.load(); ++i) {
    // Answers that differ per request, some through the plain-body path and some not.
    nlohmann::json body = {{"answers", {{"ok", i % 2 == 0}, {"why", "client " + std::to_string(client) + " #" + std::to_string(i)}}}};
    HttpResult r;
    try {
      r = c.post(path, body);
    } catch (const std::exception&) {
      return;  // connection refused: the server is gone
    }
    if (r.status == 0) {
      ++out.unanswered;
      return;
    }
    if (r.status != 201) {
      ++out.refused;
      continue;
    }
    out.acknowledged.push_back(r.json()["reference"]);
    acks.fetch_add(1);
  }
}

TEST_F(Durability, EveryAcknowledgedResponseSurvivesSigkillUnderLoad) {
  int code = -1;
  std::string token = run_command(std::string(TOWNHALL_CLI) + " users add --db " + db + " --create --role officer 2>/dev/null", &code);
  ASSERT_EQ(code, 0);
  while (!token.empty() && token.back() == '\n') token.pop_back();

  const std::string approver_token = add_console_officer(TOWNHALL_CLI, db, "approver");
  std::string id;
  {
    ServerProcess server(db);
    HttpClient officer(server.port), approver(server.port);
    officer.token = token;
    approver.token = approver_token;
    id = open_load_test_consultation(officer, approver);
    server.kill_hard();
  }

  constexpr int kRounds = 3;
  constexpr int kClients = 4;
  std::vector<std::string> all_acknowledged;
  size_t all_unanswered = 0;
  for (int round = 1; round <= kRounds; ++round) {
    ServerProcess server(db);
    std::atomic<bool> stop{false};
    std::atomic<int> acks{0};
    std::vector<Client> clients(kClients);
    std::vector<std::thread> threads;
    for (int c = 0; c < kClients; ++c) {
      threads.emplace_back(load, server.port, id, c, std::cref(stop), std::ref(acks), std::ref(clients[c]));
    }
    // Mid-load: at least a second of it, and a few hundred responses in (bounded at 10 s).
    auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(10) &&
           (acks.load() < 300 || std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1000))) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server.kill_hard();
    stop = true;
    for (auto& t : threads) t.join();

    int acknowledged = 0, unanswered = 0, refused = 0;
    for (const auto& c : clients) {
      acknowledged += static_cast<int>(c.acknowledged.size());
      unanswered += c.unanswered;
      refused += c.refused;
      all_unanswered += static_cast<size_t>(c.unanswered);
      all_acknowledged.insert(all_acknowledged.end(), c.acknowledged.begin(), c.acknowledged.end());
    }
    EXPECT_GT(acknowledged, 0) << "round " << round;
    EXPECT_EQ(refused, 0) << "round " << round;

    // The database as the crash left it: intact, with every acknowledged response (from this
    // round and the rounds before) in it.
    std::set<std::string> stored;
    {
      SQLite::Database raw(db, SQLite::OPEN_READWRITE);
      EXPECT_EQ(raw.execAndGet("PRAGMA integrity_check").getString(), "ok") << "round " << round;
      SQLite::Statement q(raw, "SELECT reference FROM responses WHERE consultation_id = ?");
      q.bind(1, id);
      while (q.executeStep()) stored.insert(q.getColumn(0).getString());
    }
    int missing = 0;
    for (const auto& ref : all_acknowledged) {
      if (!stored.count(ref)) {
        if (++missing <= 10) ADD_FAILURE() << "round " << round << ": acknowledged " << ref << " is not in the database";
      }
    }
    EXPECT_EQ(missing, 0) << "round " << round;
    // Nothing else: only requests sent but unanswered at the kill may have committed unacknowledged.
    EXPECT_LE(stored.size(), all_acknowledged.size() + all_unanswered) << "round " << round;
    std::string out = run_command(std::string(TOWNHALL_CLI) + " audit verify --db " + db + " 2>&1", &code);
    EXPECT_EQ(code, 0) << "round " << round << ": " << out;
    std::printf("round %d: %d acknowledged, %d unanswered at SIGKILL; %zu stored in all\n", round, acknowledged,
                unanswered, stored.size());
  }

  // Started once more on the same file, the server finds acknowledged responses by reference.
  ServerProcess server(db);
  HttpClient officer(server.port);
  officer.token = token;
  for (size_t i = 0; i < all_acknowledged.size(); i += std::max<size_t>(1, all_acknowledged.size() / 25)) {
    auto r = officer.get("/api/v1/responses/" + all_acknowledged[i]);
    EXPECT_EQ(r.status, 200) << all_acknowledged[i] << ": " << r.body;
  }
  auto listed = officer.get("/api/v1/consultations/" + id + "/responses?limit=1");
  ASSERT_EQ(listed.status, 200);
  EXPECT_GE(listed.json()["total"].get<size_t>(), all_acknowledged.size());
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace townhall::testing
