// bench_server — HTTP throughput of `townhall serve` over loopback, in one run:
//   1. GET /health with 64 concurrent keep-alive clients (the baseline: HTTP + routing only);
//   2. durable POST response submissions with 64 concurrent keep-alive clients, each
//      acknowledged only after the group-commit transaction holding it has committed.
// Prints requests/s, p50/p99 latency and the ratio submissions/health. With --rounds R the two
// phases alternate R times (health, POST, health, POST, …) and every round's ratio is printed, then
// the median and the lowest: a shared machine's speed drifts, and a pair of phases run back to back
// compares like with like. One untimed second of each phase comes first. Afterwards it checks that the database holds exactly as many responses
// as were acknowledged.
//   3. the residents' pages: the hub /en-GB/, a consultation page in en-GB and in ar (translated),
//      a question page (with a session cookie, as a resident stepping through), and
//      GET /api/v1/consultations, each run right after a GET /health phase in the same round, with
//      each rate's ratio to that health rate; then the median ratio per page over the rounds.
// With --db postgresql://… the server writes to that PostgreSQL database instead of a fresh SQLite
// file (its tables are made when it is empty; the benchmark adds one consultation of its own, and
// counts only that one's responses at the end): the durable submissions are then PostgreSQL
// commits, one per group-commit batch.
// With --servers 2 (PostgreSQL only) a second server in the process, over the same database with
// its own connections and writer, takes half the clients in a third phase each round, printed
// beside the one-server phase.
// Usage: bench_server [--seconds S] [--rounds R] [--clients N] [--sync normal|full] [--db URL] [--servers 1|2]
//                     [--idempotency-keys on|off] [--phases all|submissions|pages]
//                     [--accept-encoding VALUE]  (sent on the page requests; none by default)
//                     [--only TEXT]  (only the pages whose name contains TEXT: for profiling one)
// (by default every submission carries a distinct Idempotency-Key, as a careful client would send)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <fstream>
#include <map>
#include <sstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "townhall/consultations/editing.h"
#include "townhall/server/http_server.h"
#include "townhall/store/open_store.h"
#include "townhall/store/postgres_store.h"

using namespace townhall;
using Clock = std::chrono::steady_clock;

namespace {

struct Conn {
  int fd = -1;
  std::string out;
  size_t sent = 0;
  std::string in;
  Clock::time_point started;
  uint64_t n = 0;
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU seconds used so far by each thread name of this process ("th-io", "th-writer", "bench-client", …),
// from /proc/self/task/*/stat, so a phase's cost can be split between server and load generator.
std::map<std::string, double> cpu_by_thread() {
  std::map<std::string, double> out;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream f(task.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    size_t open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::string name = stat.substr(open + 1, close - open - 1);
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stod(field);
      if (i == 15) stime = std::stod(field);
    }
    out[name] += (utime + stime) / tick;
  }
  return out;
}

struct PhaseResult {
  double seconds = 0;
  std::map<std::string, double> cpu_threads;  // CPU seconds per thread name during the phase
  double cpu = 0;  // process CPU seconds (server + client) during the phase
  uint64_t ok = 0, failed = 0;
  std::vector<double> latencies_ms;
  double rate() const { return static_cast<double>(ok) / seconds; }
  double percentile(double p) {
    if (latencies_ms.empty()) return 0;
    std::sort(latencies_ms.begin(), latencies_ms.end());
    size_t i = static_cast<size_t>(p * static_cast<double>(latencies_ms.size() - 1));
    return latencies_ms[i];
  }
};

int connect_to(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    perror("connect");
    std::exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// Returns the length of one complete response at the front of `in` (0 if incomplete) and its status.
size_t complete_response(const std::string& in, int* status) {
  size_t hdr_end = in.find("\r\n\r\n");
  if (hdr_end == std::string::npos) return 0;
  *status = std::atoi(in.c_str() + 9);
  size_t cl = 0;
  // Header names are case-insensitive; Beast writes "Content-Length".
  for (const char* name : {"Content-Length: ", "content-length: "}) {
    size_t p = in.find(name);
    if (p != std::string::npos && p < hdr_end) cl = std::strtoul(in.c_str() + p + std::strlen(name), nullptr, 10);
  }
  size_t total = hdr_end + 4 + cl;
  return in.size() >= total ? total : 0;
}

// Drives `clients` keep-alive connections for `seconds`, each sending make_request(conn, n) in turn;
// connection i goes to ports[i % ports.size()].
template <typename MakeRequest>
PhaseResult run_phase(const std::vector<uint16_t>& ports, int clients, double seconds, int expect_status,
                      MakeRequest make_request) {
  int ep = epoll_create1(0);
  std::vector<Conn> conns(static_cast<size_t>(clients));
  auto send_next = [&](size_t i) {
    Conn& c = conns[i];
    c.out = make_request(i, c.n++);
    c.sent = 0;
    c.started = Clock::now();
    ssize_t w = write(c.fd, c.out.data(), c.out.size());
    if (w > 0) c.sent = static_cast<size_t>(w);
  };
  for (size_t i = 0; i < conns.size(); ++i) {
    conns[i].fd = connect_to(ports[i % ports.size()]);  // spread over the servers
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
  }
  PhaseResult r;
  auto threads0 = cpu_by_thread();
  double cpu0 = cpu_seconds();
  auto t0 = Clock::now();
  auto deadline = t0 + std::chrono::duration<double>(seconds);
  for (size_t i = 0; i < conns.size(); ++i) send_next(i);
  size_t outstanding = conns.size();
  std::vector<epoll_event> events(256);
  char buf[65536];
  bool stopping = false;
  while (outstanding > 0) {
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    auto now = Clock::now();
    if (now >= deadline) stopping = true;
    for (int k = 0; k < n; ++k) {
      size_t i = events[static_cast<size_t>(k)].data.u64;
      Conn& c = conns[i];
      if (c.sent < c.out.size()) {  // finish a partial write first (rare: requests are small)
        ssize_t w = write(c.fd, c.out.data() + c.sent, c.out.size() - c.sent);
        if (w > 0) c.sent += static_cast<size_t>(w);
      }
      for (;;) {
        ssize_t got = read(c.fd, buf, sizeof buf);
        if (got <= 0) break;
        c.in.append(buf, static_cast<size_t>(got));
      }
      int status = 0;
      while (size_t len = complete_response(c.in, &status)) {
        c.in.erase(0, len);
        auto done = Clock::now();
        if (status == expect_status) {
          ++r.ok;
          r.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - c.started).count());
        } else {
          ++r.failed;
        }
        if (stopping) {
          --outstanding;
        } else {
          send_next(i);
        }
      }
    }
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.cpu = cpu_seconds() - cpu0;
  for (const auto& [name, secs] : cpu_by_thread()) r.cpu_threads[name] = secs - threads0[name];
  for (auto& c : conns) close(c.fd);
  close(ep);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  int rounds = 1;
  int clients = 64;
  int servers = 1;
  std::string sync = "normal";
  bool idempotency = true;
  std::string phases = "all", accept_encoding, only, db_url;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--seconds") seconds = std::atof(argv[i + 1]);
    else if (a == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--clients") clients = std::atoi(argv[i + 1]);
    else if (a == "--sync") sync = argv[i + 1];
    else if (a == "--idempotency-keys") idempotency = std::string(argv[i + 1]) != "off";
    else if (a == "--phases") phases = argv[i + 1];
    else if (a == "--accept-encoding") accept_encoding = argv[i + 1];
    else if (a == "--only") only = argv[i + 1];
    else if (a == "--db") db_url = argv[i + 1];
    else if (a == "--servers") servers = std::max(1, std::min(2, std::atoi(argv[i + 1])));
  }
  const bool run_submissions = phases != "pages", run_pages = phases != "submissions";
  char tmpl[] = "/tmp/townhall-bench-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  SqliteOptions so;
  so.sync = sync == "full" ? SyncMode::kFull : SyncMode::kNormal;
  so.create = true;
  const bool postgres = is_postgres_url(db_url);
  if (!db_url.empty() && !postgres) {
    std::fprintf(stderr, "bench_server: --db takes a postgresql:// URL (without it, a fresh SQLite file is used)\n");
    return 2;
  }
  auto opened = open_store(postgres ? db_url : dir + "/bench.db", so);
  if (!opened) {
    std::fprintf(stderr, "bench_server: %s\n", opened.error().describe().c_str());
    return 2;
  }
  auto store = std::move(opened).value();
  nlohmann::json doc = {
      {"title", "Library opening hours"},
      {"summary", "We propose to open the borough's libraries later on Saturdays and earlier on Mondays."},
      {"proposal", "Open every library from 10am to 6pm on Saturdays, and from 8am on Mondays."},
      {"reasons", "Visits on Saturday afternoons have doubled since 2023, while early Saturday mornings are quiet."},
      {"opens", "2026-01-05"},
      {"closes", "2099-02-16"},
      {"wards", {"Abingdon", "Dalgarno"}},
      {"topics", {"libraries"}},
      {"channels", {"online", "paper", "phone"}},
      {"documents", {{{"title", "Library usage report 2025"}, {"url", "https://example.org/libraries.pdf"}}}},
      {"questions",
       {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
        {{"id", "days"}, {"type", "multiple_choice"}, {"text", "Which days?"}, {"options", {"mon", "tue", "wed", "sat"}}},
        {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}}}}};
  auto c = store->create_consultation(doc, AuditEvent{"bench", "create", "consultation", "", {}});
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    (void)store->transition_consultation(TransitionRecord{c->id, from, to, 0, {}, {}});
  }
  // The hub's listing: a dozen more consultations in its three sections, with wards and topics,
  // and an Arabic translation of the benchmarked one, so the pages do the work a council's do.
  const char* wards[] = {"Abingdon", "Brompton & Hans Town", "Chelsea Riverside", "Dalgarno", "Earl's Court"};
  const char* topics[] = {"libraries", "transport", "parks", "housing"};
  for (int i = 0; i < 12; ++i) {
    nlohmann::json d = {{"title", "Proposal " + std::to_string(i + 1) + ": changes to local services in the ward"},
                        {"summary", "We want your views on how we run this service from next year, and what matters most."},
                        {"opens", "2026-01-0" + std::to_string(1 + i % 9)},
                        {"closes", "2099-0" + std::to_string(1 + i % 9) + "-15"},
                        {"wards", {wards[i % 5], wards[(i + 2) % 5]}},
                        {"topics", {topics[i % 4]}},
                        {"questions", {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}}}}};
    auto extra = store->create_consultation(d, AuditEvent{"bench", "create", "consultation", "", {}});
    std::vector<std::pair<ConsultationStatus, ConsultationStatus>> steps = {
        {ConsultationStatus::kDraft, ConsultationStatus::kScheduled}};
    if (i % 3 != 1) steps.emplace_back(ConsultationStatus::kScheduled, ConsultationStatus::kOpen);
    if (i % 3 == 2) steps.emplace_back(ConsultationStatus::kOpen, ConsultationStatus::kClosed);
    for (auto [from, to] : steps) (void)store->transition_consultation(TransitionRecord{extra->id, from, to, 0, {}, {}});
  }
  nlohmann::json arabic = {{"title", "ساعات عمل المكتبة"},
                           {"summary", "نريد معرفة رأيك في ساعات عمل المكتبة أيام السبت."},
                           {"questions", {{"agree", {{"text", "هل توافق؟"}}}, {"why", {{"text", "لماذا؟"}}}}}};
  (void)put_translation(*store, c->id, "ar", arabic, AuditEvent{"bench", "translation.put", "consultation", c->id, {}});
  server::Api api(*store);
  server::ServerConfig config;
  config.port = 0;
  server::HttpServer http(api, config);
  uint16_t port = *http.start();
  std::thread server_thread([&] {
    pthread_setname_np(pthread_self(), "th-io");
    http.run(false);
  });
  // A second server over the same PostgreSQL database (its own store handle, connections and
  // writer), as a second machine behind a load balancer would be.
  std::unique_ptr<Store> store2;
  std::unique_ptr<server::Api> api2;
  std::unique_ptr<server::HttpServer> http2;
  std::thread server2_thread;
  uint16_t port2 = 0;
  if (servers == 2) {
    if (!postgres) {
      std::fprintf(stderr, "bench_server: --servers 2 needs --db postgresql://… (SQLite has one server)\n");
      return 2;
    }
    store2 = std::move(open_store(db_url, so)).value();
    api2 = std::make_unique<server::Api>(*store2);
    http2 = std::make_unique<server::HttpServer>(*api2, config);
    port2 = *http2->start();
    server2_thread = std::thread([&] {
      pthread_setname_np(pthread_self(), "th-io-2");
      http2->run(false);
    });
  }
  pthread_setname_np(pthread_self(), "bench-client");

  std::cout << "bench_server: " << clients << " keep-alive clients over 127.0.0.1:" << port << ", " << seconds
            << " s per phase, 2 server threads + 1 writer thread, "
            << (postgres ? "PostgreSQL " + database_for_display(db_url) : "SQLite WAL synchronous=" + sync)
            << ", Idempotency-Key " << (idempotency ? "on" : "off") << "\n";

  std::string health = "GET /health HTTP/1.1\r\nHost: bench\r\n\r\n";
  const std::string path = "/api/v1/consultations/" + c->id + "/responses";
  int round = 0;
  int post_phase = 0;  // numbers each POST phase: its keys are new
  // Every submission is a new one: a key (and body) repeated from an earlier round would be a
  // retry, answered from the first without a write.
  auto post = [&](size_t conn, uint64_t n) {
    std::string serial = std::to_string(post_phase) + "-" + std::to_string(conn) + "-" + std::to_string(n);
    std::string body = R"({"answers":{"agree":true,"days":["mon","sat"],"why":"Open later on Saturdays please, response )" +
                       serial + R"("}})";
    // The process id too: a database given with --db may hold an earlier run's keys.
    std::string key = idempotency ? "Idempotency-Key: k-" + std::to_string(getpid()) + "-" + serial + "\r\n" : "";
    return "POST " + path + " HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n" + key +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  };

  auto print = [](const char* name, PhaseResult& r) {
    std::printf("  %-26s %8.0f req/s  (%llu ok, %llu failed, %.2f s)  p50 %.2f ms  p99 %.2f ms  cpu %.0f%% = %.0f us/req\n",
                name, r.rate(), static_cast<unsigned long long>(r.ok), static_cast<unsigned long long>(r.failed),
                r.seconds, r.percentile(0.50), r.percentile(0.99), 100 * r.cpu / r.seconds,
                1e6 * r.cpu / static_cast<double>(std::max<uint64_t>(r.ok, 1)));
  };
  // Per-thread split (clock-tick resolution, so approximate): where a request's CPU goes.
  auto print_threads = [](const char* name, PhaseResult& r) {
    std::printf("    %s CPU per request by thread:", name);
    for (const auto& [thread, secs] : r.cpu_threads) {
      if (secs > 0) std::printf("  %s %.0f us", thread.c_str(), 1e6 * secs / static_cast<double>(std::max<uint64_t>(r.ok, 1)));
    }
    std::printf("\n");
  };

  std::vector<double> ratios;
  uint64_t acknowledged = 0, failed = 0;
  double worst_p99 = 0, lowest_rate = 1e18;
  if (run_submissions) {
    // One untimed second of each phase first: the first phase of a fresh process otherwise runs on
    // cold caches, allocator arenas and connections (its health rate came out a third low).
    round = 0;
    (void)run_phase({port}, clients, 1.0, 200, [&](size_t, uint64_t) { return health; });
    ++post_phase;
    acknowledged += run_phase({port}, clients, 1.0, 201, post).ok;
    for (round = 1; round <= rounds; ++round) {
      auto h = run_phase({port}, clients, seconds, 200, [&](size_t, uint64_t) { return health; });
      ++post_phase;
      auto p = run_phase({port}, clients, seconds, 201, post);
      acknowledged += p.ok;
      failed += p.failed + h.failed;
      double ratio = p.rate() / h.rate();
      ratios.push_back(ratio);
      lowest_rate = std::min(lowest_rate, p.rate());
      worst_p99 = std::max(worst_p99, p.percentile(0.99));
      std::printf("round %d of %d: ratio submissions/health %.2f\n", round, rounds, ratio);
      print("GET /health", h);
      print("POST responses (durable)", p);
      print_threads("GET ", h);
      print_threads("POST", p);
      if (servers == 2) {
        // The same clients spread over both servers, right after the one-server phase.
        ++post_phase;
        auto p2 = run_phase({port, port2}, clients, seconds, 201, post);
        acknowledged += p2.ok;
        failed += p2.failed;
        print("POST, 2 servers (durable)", p2);
        std::printf("    two servers / one server: %.2f\n", p2.rate() / p.rate());
      }
      std::fflush(stdout);
    }
  }

  if (run_pages) {
    // The question page belongs to a browser session: take the cookie of a first visit, as a
    // resident's browser would, so the benchmark measures a resident stepping through.
    std::string session_cookie;
    {
      server::HttpRequest first;
      first.method = "GET";
      first.target = "/en-GB/consultations/" + c->id + "/questions/1";
      std::promise<server::HttpResponse> got;
      api.handle(first, [&](server::HttpResponse r) { got.set_value(std::move(r)); });
      for (const auto& [k, v] : got.get_future().get().headers) {
        if (k == "Set-Cookie" && v.rfind("th_session=", 0) == 0) session_cookie = v.substr(0, v.find(';'));
      }
    }
    const std::string encoding = accept_encoding.empty() ? "" : "Accept-Encoding: " + accept_encoding + "\r\n";
    auto get = [&](const std::string& target, const std::string& extra = "") {
      return "GET " + target + " HTTP/1.1\r\nHost: bench\r\n" + encoding + extra + "\r\n";
    };
    struct PagePhase {
      const char* name;
      std::string request;
      std::vector<double> ratios;
    };
    std::vector<PagePhase> pages = {
        {"GET /en-GB/ (hub)", get("/en-GB/"), {}},
        {"GET consultation en-GB", get("/en-GB/consultations/" + c->id), {}},
        {"GET consultation ar", get("/ar/consultations/" + c->id), {}},
        {"GET question page", get("/en-GB/consultations/" + c->id + "/questions/2", "Cookie: " + session_cookie + "\r\n"), {}},
        {"GET /api/v1/consultations", get("/api/v1/consultations"), {}},
    };
    if (!only.empty()) {
      std::erase_if(pages, [&](const PagePhase& pg) { return std::string(pg.name).find(only) == std::string::npos; });
    }
    std::printf("pages phase: each page right after GET /health in the same round\n");
    for (auto& pg : pages) (void)run_phase({port}, clients, 0.5, 200, [&](size_t, uint64_t) { return pg.request; });
    for (int r = 1; r <= rounds; ++r) {
      std::printf("pages round %d of %d:\n", r, rounds);
      for (auto& pg : pages) {
        auto h = run_phase({port}, clients, seconds, 200, [&](size_t, uint64_t) { return health; });
        auto p = run_phase({port}, clients, seconds, 200, [&](size_t, uint64_t) { return pg.request; });
        failed += h.failed + p.failed;
        pg.ratios.push_back(p.rate() / h.rate());
        std::printf("  %-26s %8.0f req/s  vs GET /health %8.0f req/s  ratio %.3f  p99 %.2f ms  %llu failed\n", pg.name,
                    p.rate(), h.rate(), p.rate() / h.rate(), p.percentile(0.99),
                    static_cast<unsigned long long>(p.failed));
        std::fflush(stdout);
      }
    }
    std::printf("pages: median ratio to GET /health over %d round(s)   (targets: pages >= 0.25, API list >= 0.40)\n", rounds);
    for (auto& pg : pages) {
      std::sort(pg.ratios.begin(), pg.ratios.end());
      size_t n = pg.ratios.size();
      double median = n % 2 ? pg.ratios[n / 2] : (pg.ratios[n / 2 - 1] + pg.ratios[n / 2]) / 2;
      std::printf("  %-26s median %.3f  lowest %.3f\n", pg.name, median, pg.ratios.front());
    }
  }

  http.stop();
  server_thread.join();
  if (http2) {
    http2->stop();
    server2_thread.join();
  }
  int64_t stored = *store->count_responses(c->id);

  if (!ratios.empty()) {
    std::vector<double> sorted = ratios;
    std::sort(sorted.begin(), sorted.end());
    double median = sorted.size() % 2 ? sorted[sorted.size() / 2]
                                      : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
    std::printf("ratio submissions/health over %d round(s): median %.2f, lowest %.2f, highest %.2f; "
                "%d of %d at or above 0.5\n",
                rounds, median, sorted.front(), sorted.back(),
                static_cast<int>(std::count_if(ratios.begin(), ratios.end(), [](double r) { return r >= 0.5; })), rounds);
    std::printf("lowest submission rate %.0f/s, worst p99 %.2f ms   (targets: %s)\n", lowest_rate, worst_p99,
                postgres ? ">= 5000 submissions/s, p99 < 50 ms on PostgreSQL"
                         : ">= 10000 submissions/s, ratio >= 0.5, p99 < 20 ms");
  }
  auto stats = api.commit_stats();
  std::printf("group commit: %llu submissions in %llu transactions (%.1f per commit); %llu read by the plain-body path\n",
              static_cast<unsigned long long>(stats.submissions), static_cast<unsigned long long>(stats.batches),
              stats.batches ? static_cast<double>(stats.submissions) / static_cast<double>(stats.batches) : 0.0,
              static_cast<unsigned long long>(stats.plain_bodies));
  std::printf("acknowledged %llu, stored %lld, failed requests %llu: %s\n", static_cast<unsigned long long>(acknowledged),
              static_cast<long long>(stored), static_cast<unsigned long long>(failed),
              static_cast<int64_t>(acknowledged) == stored ? "every acknowledged response is committed" : "MISMATCH");
  std::filesystem::remove_all(dir);
  return static_cast<int64_t>(acknowledged) == stored ? 0 : 1;
}
