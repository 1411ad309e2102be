// `townhall serve`: the REST server over an embedded SQLite database.
#include <chrono>
#include <csignal>
#include <condition_variable>
#include <ctime>
#include <iostream>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "cli.h"
#include "townhall/store/open_store.h"
#include "database_option.h"
#include "mail_options.h"
#include "options.h"
#include "townhall/mail/delivery.h"
#include "townhall/server/http_server.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/util/json_schema.h"

namespace townhall::cli {
namespace {

// "127.0.0.1,::1" → each address, checked; an error names the option.
Result<std::vector<std::string>> address_list(const std::string& text, const std::string& option) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= text.size()) {
    size_t comma = text.find(',', i);
    if (comma == std::string::npos) comma = text.size();
    std::string a = text.substr(i, comma - i);
    unsigned char buf[sizeof(in6_addr)];
    if (inet_pton(AF_INET, a.c_str(), buf) != 1 && inet_pton(AF_INET6, a.c_str(), buf) != 1) {
      return invalid_argument(option, "'" + a + "' is not an IP address (give the proxy's address, e.g. 127.0.0.1)");
    }
    out.push_back(a);
    i = comma + 1;
  }
  return out;
}

TOWNHALL_COMMAND(
    "serve",
    "serve [--db PATH] [--create] [--audit-key FILE] [--port N] [--bind ADDR] [--policy FILE] [--council-config FILE] "
    "[--sync normal|full] "
    "[--max-connections N] [--public-url URL] [--trusted-proxy ADDR[,ADDR...]] [--join-limit N] [--email-limit N] "
    "[--email-client-limit N] [--outbox-retention-days N] [--smtp-url URL --mail-from ADDRESS ... | --notify-key-file FILE --notify-template ID ...]  "
    "(port 0 picks a free port; --create makes the database when there is none; at most N connections open at once, "
    "default 2048; --council-config names the council and gives its accessibility statement and privacy notice, "
    "checked against schemas/council-config.schema.json; with --smtp-url or --notify-key-file the outbox is delivered as emails are written, see `townhall "
    "outbox deliver --help`, and --public-url is required so links in emails work; the schedule removes emails "
    "delivered or failed more than --outbox-retention-days ago, default 30)",
    OptionSpec{[] {
                 std::set<std::string> names = {"db", "port", "bind", "policy", "council-config", "sync", "max-connections", "audit-key",
                                                "public-url", "trusted-proxy", "join-limit", "email-limit",
                                                "email-client-limit", "outbox-retention-days"};
                 names.insert(mail_value_options().begin(), mail_value_options().end());
                 return names;
               }(),
               [] {
                 std::set<std::string> names = {"create"};
                 names.insert(mail_flag_options().begin(), mail_flag_options().end());
                 return names;
               }(),
               0,
               0},
    [](const Args& a) {
      server::ServerConfig config;
      config.bind = a.option("bind").value_or("127.0.0.1");
      std::string port_text = a.option("port").value_or("8080");
      try {
        size_t used = 0;
        int port = std::stoi(port_text, &used);
        if (used != port_text.size() || port < 0 || port > 65535) throw std::out_of_range("port");
        config.port = static_cast<uint16_t>(port);
      } catch (const std::exception&) {
        return bad_input(invalid_argument("--port", "must be a number from 0 to 65535"));
      }
      if (auto text = a.option("max-connections")) {
        try {
          size_t used = 0;
          int n = std::stoi(*text, &used);
          if (used != text->size() || n < 1 || n > 1000000) throw std::out_of_range("max-connections");
          config.max_connections = n;
        } catch (const std::exception&) {
          return bad_input(invalid_argument("--max-connections", "must be a whole number from 1 to 1000000"));
        }
      }
      SqliteOptions db_options;
      std::string sync = a.option("sync").value_or("normal");
      if (sync == "full") db_options.sync = SyncMode::kFull;
      else if (sync != "normal") return bad_input(invalid_argument("--sync", "must be normal or full"));

      server::ApiOptions api_options;
      if (auto policy_path = a.option("policy")) {
        auto text = read_file(*policy_path);
        if (!text) return bad_input(text.error());
        auto policy = CharterPolicy::from_json_text(*text);
        if (!policy) return bad_input(policy.error());
        api_options.policy = *policy;
      }
      if (auto council_path = a.option("council-config")) {
        // Checked before anything starts, so a council never serves a statement with a part missing.
        auto text = read_file(*council_path);
        if (!text) return bad_input(text.error());
        nlohmann::json council;
        try {
          council = nlohmann::json::parse(*text);
        } catch (const nlohmann::json::parse_error& e) {
          return bad_input(invalid_argument("--council-config", *council_path + " is not JSON: " + e.what()));
        }
        if (auto st = validate_against_schema(council, "council-config.schema.json"); !st) {
          Error e = st.error();
          e.message = *council_path + " (council configuration): " + e.message;
          return bad_input(e);
        }
        api_options.council = std::move(council);
      }
      // A write past a file size limit (ulimit -f) then fails with EFBIG, which the store reports as
      // storage full (503 to the client), instead of the signal killing the server mid-request.
      std::signal(SIGXFSZ, SIG_IGN);
      if (auto url = a.option("public-url")) {
        std::string u = *url;
        while (!u.empty() && u.back() == '/') u.pop_back();
        if ((u.rfind("https://", 0) != 0 && u.rfind("http://", 0) != 0) || u.find_first_of(" \t\r\n\"<>") != std::string::npos ||
            u.size() <= std::string("https://").size()) {
          return bad_input(invalid_argument("--public-url", "must be the site's address, like https://haveyoursay.example.gov.uk"));
        }
        api_options.public_url = u;
      }
      if (auto proxies = a.option("trusted-proxy")) {
        auto list = address_list(*proxies, "--trusted-proxy");
        if (!list) return bad_input(list.error());
        api_options.trusted_proxies = *list;
      }
      // Per hour; 0 turns a limit off.
      for (auto [name, limit] : {std::pair{"join-limit", &api_options.rate_limits.join_per_client},
                                 std::pair{"email-limit", &api_options.rate_limits.email_per_address},
                                 std::pair{"email-client-limit", &api_options.rate_limits.email_per_client}}) {
        auto n = int_option(a, name, static_cast<int>(limit->limit), 0, 1000000);
        if (!n) return bad_input(n.error());
        limit->limit = *n;
        limit->window_seconds = 3600;
      }
      auto retention = int_option(a, "outbox-retention-days", api_options.outbox_retention_days, 1, 3650);
      if (!retention) return bad_input(retention.error());
      api_options.outbox_retention_days = *retention;
      auto transport = mail_transport_option(a);
      if (!transport) return bad_input(transport.error());
      if (*transport && api_options.public_url.empty()) {
        return bad_input(invalid_argument(
            "--public-url", "is required when email is sent: links in emails must say where the site is, like "
                            "https://haveyoursay.example.gov.uk"));
      }
      std::string db_path = a.option("db").value_or("townhall.db");
      auto store = open_database(a, DbUse::kWrite, db_options, db_path);
      if (!store) return bad_input(store.error());

      server::Api api(**store, api_options);
      // The server serves whatever the state of its audit log, and says at once when the log is
      // broken or cannot be verified (GET /health says so too, without the details).
      auto warn_about_audit = [](const Result<AuditVerification>& v) {
        if (!v) {
          std::cerr << "townhall: WARNING: the audit log cannot be read: " << v.error().describe() << std::endl;
        } else if (v->state == AuditState::kBroken) {
          std::cerr << "townhall: WARNING: the audit log is BROKEN at entry " << v->first_bad_seq.value_or(0) << ": "
                    << v->problem << std::endl;
        } else if (v->state == AuditState::kUnverified) {
          std::cerr << "townhall: WARNING: the audit log cannot be verified: " << v->problem << std::endl;
        }
        return v ? v->state : AuditState::kUnverified;
      };
      AuditState audit_state = warn_about_audit(api.check_audit());
      server::HttpServer http(api, config);
      auto port = http.start();
      if (!port) return bad_input(port.error());
      std::cout << "townhall: listening on http://" << config.bind << ":" << *port << " (database " << database_for_display(db_path)
                << ", synchronous=" << sync << ")" << std::endl;
      std::cout << "townhall: limits per hour: " << api_options.rate_limits.join_per_client.limit
                << " panel joins per client, " << api_options.rate_limits.email_per_address.limit << " emails per address, "
                << api_options.rate_limits.email_per_client.limit << " emails per client (0 = no limit)" << std::endl;
      // Opening and closing happen on their dates (Europe/London) without anyone pressing a button:
      // the schedule runs at start and then every minute.
      std::mutex mu;
      std::condition_variable cv;
      bool done = false;
      std::thread scheduler([&] {
        std::unique_lock lock(mu);
        auto last_audit_check = std::chrono::steady_clock::now();
        do {
          lock.unlock();
          for (const auto& line : api.run_schedule(Date::today_in_london())) {
            std::cout << "townhall: schedule: " << line << std::endl;
          }
          // The whole log is read again each hour, so that an edit made while the server runs
          // shows on /health too; the warning is repeated only when the state changes.
          if (std::chrono::steady_clock::now() - last_audit_check >= std::chrono::hours(1)) {
            last_audit_check = std::chrono::steady_clock::now();
            auto v = api.check_audit();
            AuditState now = v ? v->state : AuditState::kUnverified;
            if (now != audit_state) {
              if (now == AuditState::kIntact) std::cerr << "townhall: the audit log verifies again" << std::endl;
              else warn_about_audit(v);
              audit_state = now;
            }
          }
          lock.lock();
        } while (!cv.wait_for(lock, std::chrono::seconds(60), [&] { return done; }));
      });
      // The outbox is delivered in the background: what is due is sent every few seconds, so a
      // sign-in link arrives while the resident waits, and a failure waits its turn to be retried.
      std::thread postman;
      if (*transport) {
        std::cout << "townhall: delivering email through " << (*transport)->describe() << std::endl;
        postman = std::thread([&] {
          std::unique_lock lock(mu);
          do {
            lock.unlock();
            auto round = deliver_due(**store, **transport, static_cast<int64_t>(std::time(nullptr)), RetryPolicy{},
                                     [](const std::string& line) { std::cout << "townhall: outbox: " << line << std::endl; });
            if (!round) std::cerr << "townhall: outbox: " << round.error().describe() << std::endl;
            lock.lock();
          } while (!cv.wait_for(lock, std::chrono::seconds(2), [&] { return done; }));
        });
      }
      http.run();
      {
        std::lock_guard lock(mu);
        done = true;
      }
      cv.notify_all();
      scheduler.join();
      if (postman.joinable()) postman.join();
      std::cout << "townhall: stopped; all acknowledged responses are committed" << std::endl;
      return kExitOk;
    });

}  // namespace
}  // namespace townhall::cli
