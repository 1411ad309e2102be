// `townhall serve`: the REST server over an embedded SQLite database.
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli.h"
#include "database_option.h"
#include "townhall/server/http_server.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::cli {
namespace {

TOWNHALL_COMMAND(
    "serve",
    "serve [--db PATH] [--create] [--audit-key FILE] [--port N] [--bind ADDR] [--policy FILE] [--sync normal|full]  "
    "(port 0 picks a free port; --create makes the database when there is none)",
    OptionSpec{{"db", "port", "bind", "policy", "sync", "audit-key"}, {"create"}, 0, 0}, [](const Args& a) {
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
      std::cout << "townhall: listening on http://" << config.bind << ":" << *port << " (database " << db_path
                << ", synchronous=" << sync << ")" << std::endl;
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
      http.run();
      {
        std::lock_guard lock(mu);
        done = true;
      }
      cv.notify_all();
      scheduler.join();
      std::cout << "townhall: stopped; all acknowledged responses are committed" << std::endl;
      return kExitOk;
    });

}  // namespace
}  // namespace townhall::cli
