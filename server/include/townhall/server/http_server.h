// townhall/server/http_server.h — the HTTP/1.1 server (Boost.Beast) in front of an Api.
//
// A pool of `threads` I/O threads serves keep-alive connections; each connection handles one
// request at a time. Bodies over the limit get 413 before they are read in full. At most
// `max_connections` connections are open at once: one more is answered 503 (Retry-After) and
// closed, and the connections already open go on being served. When the process runs out of file
// descriptors the server waits before accepting again (50 ms, doubling to 1 s) instead of
// retrying at once. HTTP/1.1 requests without exactly one Host header get 400, and a
// Transfer-Encoding other than "chunked" is refused (400, or 501 for codings before "chunked");
// both close the connection. HEAD is answered with the headers of GET, Content-Length included,
// and no body. On SIGTERM or SIGINT (or stop()), the server stops accepting, closes idle
// connections, lets requests in flight finish (their responses are written whole, then the
// connection closes), and then has the Api commit whatever it has queued.
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
  // Connections open at once. Each holds a file descriptor: start() raises the soft RLIMIT_NOFILE
  // to max_connections + kReservedFileDescriptors when the hard limit allows (and warns on stderr
  // when it does not).
  int max_connections = 2048;
};

// File descriptors kept aside for everything but connections: the database and its WAL, files
// served, refusals being written.
inline constexpr int kReservedFileDescriptors = 256;

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
