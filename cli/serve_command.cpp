// `townhall serve`: the REST server over an embedded SQLite database.
#include <chrono>
#include <csignal>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli.h"
#include "townhall/server/http_server.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::cli {
namespace {

TOWNHALL_COMMAND(
    "serve",
    "serve [--db PATH] [--port N] [--bind ADDR] [--policy FILE] [--sync normal|full] [--max-connections N]  "
    "(port 0 picks a free port; at most N connections open at once, default 2048)",
    OptionSpec{{"db", "port", "bind", "policy", "sync", "max-connections"}, {}, 0, 0}, [](const Args& a) {
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
      // A write past a file size limit (ulimit -f) then fails with EFBIG, which the store reports as
      // storage full (503 to the client), instead of the signal killing the server mid-request.
      std::signal(SIGXFSZ, SIG_IGN);
      std::string db_path = a.option("db").value_or("townhall.db");
      auto store = open_sqlite_store(db_path, db_options);
      if (!store) return bad_input(store.error());

      server::Api api(**store, api_options);
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
        do {
          lock.unlock();
          for (const auto& line : api.run_schedule(Date::today_in_london())) {
            std::cout << "townhall: schedule: " << line << std::endl;
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
