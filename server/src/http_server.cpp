// The only Boost.Beast translation unit: sockets, HTTP parsing and writing, graceful shutdown.
#include "townhall/server/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <list>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace townhall::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

}  // namespace

struct HttpServer::Impl {
  class Session;

  Impl(Api& a, ServerConfig c) : api(a), config(std::move(c)), ioc(config.threads), acceptor(ioc) {}

  Api& api;
  ServerConfig config;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::list<std::weak_ptr<Session>> sessions;

  size_t api_body_limit() const { return api.body_limit(); }
  void do_accept();
  void begin_shutdown();
};

class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Impl& server) : stream_(std::move(socket)), server_(server) {}

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  }

  // Called on shutdown: an idle connection closes now, a busy one after its response.
  void close_when_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  void do_read() {
    if (server_.stopping) return close();
    parser_.emplace();
    parser_->body_limit(server_.api_body_limit());
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(server_.config.idle_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    // close_when_idle() may have run between the read completing and this handler: the client
    // will never see an answer, so the request must not be carried out (nothing unacknowledged
    // is written).
    if (closed_) return;
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset || ec == asio::error::eof) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return write(problem(413, "body-too-large", "Request body too large",
                           "The request body is larger than the limit of " +
                               std::to_string(server_.api_body_limit()) + " bytes."),
                   false);
    }
    if (ec) {
      if (parser_ && parser_->is_header_done() == false && buffer_.size() == 0) return close();
      return write(problem(400, "bad-request", "Malformed HTTP request", ec.message()), false);
    }
    busy_ = true;
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    if (auto it = msg.find(http::field::authorization); it != msg.end()) req.authorization = std::string(it->value());
    if (auto it = msg.find(http::field::content_type); it != msg.end()) req.content_type = std::string(it->value());
    if (auto it = msg.find("Idempotency-Key"); it != msg.end()) req.idempotency_key = std::string(it->value());
    if (auto it = msg.find(http::field::if_match); it != msg.end()) req.if_match = std::string(it->value());
    if (auto it = msg.find(http::field::cookie); it != msg.end()) req.cookie = std::string(it->value());
    if (auto it = msg.find(http::field::accept_language); it != msg.end()) {
      req.accept_language = std::string(it->value());
    }
    {
      beast::error_code peer_ec;
      auto peer = stream_.socket().remote_endpoint(peer_ec);
      if (!peer_ec) req.client_address = peer.address().to_string();
    }
    if (auto it = msg.find("X-Forwarded-Proto"); it != msg.end()) req.forwarded_proto = std::string(it->value());
    if (auto it = msg.find("X-Forwarded-For"); it != msg.end()) req.forwarded_for = std::string(it->value());
    req.body = std::move(msg.body());
    // Keeps the io_context running while the request waits for (say) the group commit.
    auto guard = std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(
        server_.ioc.get_executor());
    server_.api.handle(req, [self = shared_from_this(), guard](HttpResponse res) mutable {
      asio::post(self->stream_.get_executor(), [self, guard, res = std::move(res)]() mutable {
        self->write(std::move(res), self->keep_alive_);
        guard.reset();
      });
    });
  }

  void write(HttpResponse r, bool keep_alive) {
    busy_ = true;
    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(http::field::server, "townhall");
    res_.set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) {
      if (beast::iequals(k, "Set-Cookie")) {
        res_.insert(k, v);  // one header per cookie
      } else {
        res_.set(k, v);
      }
    }
    res_.body() = std::move(r.body);
    bool close_after = !keep_alive || server_.stopping;
    res_.keep_alive(!close_after);
    res_.prepare_payload();
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, res_, [self = shared_from_this(), close_after](beast::error_code ec, size_t) {
      self->busy_ = false;
      if (ec || close_after) return self->close();
      self->do_read();
    });
  }

  void close() {
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  Impl& server_;
  bool busy_ = false;
  bool closed_ = false;  // only touched on the session's strand
  bool keep_alive_ = true;
};

void HttpServer::Impl::do_accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) return;
      return do_accept();  // e.g. too many open files: keep serving the connections we have
    }
    if (stopping) return;
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<Session>(std::move(socket), *this);
    {
      std::lock_guard lock(sessions_mu);
      // Forget closed sessions so the list does not grow without bound.
      sessions.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
      sessions.push_back(session);
    }
    session->start();
    do_accept();
  });
}

void HttpServer::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  asio::post(ioc, [this] {
    beast::error_code ec;
    acceptor.close(ec);
    std::lock_guard lock(sessions_mu);
    for (auto& w : sessions) {
      if (auto s = w.lock()) s->close_when_idle();
    }
  });
}

HttpServer::HttpServer(Api& api, ServerConfig config)
    : impl_(std::make_unique<Impl>(api, std::move(config))) {}

HttpServer::~HttpServer() = default;

Result<uint16_t> HttpServer::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->config.bind, ec);
  if (ec) return invalid_argument("--bind", "not an IP address: " + impl_->config.bind);
  tcp::endpoint endpoint(address, impl_->config.port);
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{ErrorCode::kIo, "--port",
                 "cannot listen on " + impl_->config.bind + ":" + std::to_string(impl_->config.port) + ": " +
                     ec.message()};
  }
  return acc.local_endpoint().port();
}

void HttpServer::run(bool handle_signals) {
  Impl& s = *impl_;
  asio::signal_set signals(s.ioc);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([&s](beast::error_code ec, int) {
      if (!ec) s.begin_shutdown();
    });
  }
  // While running, a guard keeps the pool alive even with no connections open.
  auto guard = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(s.ioc.get_executor());
  std::thread watcher([&s, &guard, &signals] {
    // Drops the guard once shutdown has begun, so run() returns when in-flight work is done.
    while (!s.stopping) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    asio::post(s.ioc, [&guard, &signals] {
      beast::error_code ec;
      signals.cancel(ec);
      guard.reset();
    });
  });
  // Committed response submissions are answered on these I/O threads, not on the writer thread.
  s.api.set_completion_executor([&s](std::function<void()> f) { asio::post(s.ioc, std::move(f)); });
  s.do_accept();
  std::vector<std::thread> pool;
  for (int i = 1; i < s.config.threads; ++i) {
    pool.emplace_back([&s] {
      pthread_setname_np(pthread_self(), "th-io");
      s.ioc.run();
    });
  }
  s.ioc.run();
  for (auto& t : pool) t.join();
  watcher.join();
  s.api.set_completion_executor(nullptr);
  s.api.shutdown();  // commit anything still queued (nothing acknowledged is lost)
}

void HttpServer::stop() { impl_->begin_shutdown(); }

}  // namespace townhall::server
