// townhall/server/http_server.h — the HTTP/1.1 server (Boost.Beast) in front of an Api.
//
// A pool of `threads` I/O threads serves keep-alive connections; each connection handles one
// request at a time. Bodies over the limit get 413 before they are read in full. On SIGTERM or
// SIGINT (or stop()), the server stops accepting, closes idle connections, lets requests in flight
// finish (their responses are written whole, then the connection closes), and then has the Api
// commit whatever it has queued.
// Thread-safety: start() then run() on one thread; stop() from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "townhall/error.h"
#include "townhall/server/api.h"

namespace townhall::server {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port (see the return value of start())
  int threads = 2;
  int idle_timeout_seconds = 30;
};

class HttpServer {
 public:
  HttpServer(Api& api, ServerConfig config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; returns the port actually bound.
  Result<uint16_t> start();
  // Serves until SIGTERM/SIGINT or stop(), then shuts down gracefully and returns.
  void run(bool handle_signals = true);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace townhall::server
