// The only Boost.Beast translation unit: sockets, HTTP parsing and writing, graceful shutdown.
#include "townhall/server/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <pthread.h>
#include <sys/resource.h>

namespace townhall::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// The first pause before accepting again when descriptors ran out, and the longest.
constexpr std::chrono::milliseconds kFirstAcceptPause{50};
constexpr std::chrono::milliseconds kLongestAcceptPause{1000};
// Refused connections being answered at once; past this they are closed without an answer.
constexpr int kMaxRefusalsInFlight = 64;

// Errors of accept() that mean "not now" rather than "this connection failed": retrying at once
// only spins, since the connection waiting in the backlog fails the same way.
bool is_resource_exhaustion(const beast::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  const int v = ec.value();
  return v == EMFILE || v == ENFILE || v == ENOBUFS || v == ENOMEM;
}

// Answers the transport writes itself are JSON problems too: never sniffed, never cached.
void add_problem_headers(HttpResponse& r) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Cache-Control", "no-store");
}

HttpResponse transport_problem(int status, const std::string& type, const std::string& title,
                               const std::string& detail) {
  HttpResponse r = problem(status, type, title, detail);
  add_problem_headers(r);
  return r;
}

// The 503 a connection past the limit gets, written whole before any request is read.
const std::string& busy_answer() {
  static const std::string text = [] {
    HttpResponse p = problem(503, "too-many-connections", "Too many connections",
                             "The server has as many connections open as it may; try again shortly.");
    return "HTTP/1.1 503 Service Unavailable\r\nServer: townhall\r\nContent-Type: " + p.content_type +
           "\r\nRetry-After: 5\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n"
           "Connection: close\r\nContent-Length: " +
           std::to_string(p.body.size()) + "\r\n\r\n" + p.body;
  }();
  return text;
}

}  // namespace

struct HttpServer::Impl {
  class Session;
  class Refusal;

  Impl(Api& a, ServerConfig c)
      : api(a),
        config(std::move(c)),
        ioc(config.threads),
        accept_strand(asio::make_strand(ioc)),
        acceptor(accept_strand),
        accept_pause(accept_strand) {}

  Api& api;
  ServerConfig config;
  asio::io_context ioc;
  // The acceptor, its pause and shutdown's closing of them run on this strand, never at once.
  asio::strand<asio::io_context::executor_type> accept_strand;
  tcp::acceptor acceptor;
  asio::steady_timer accept_pause;  // waits before the next accept when descriptors ran out
  std::chrono::milliseconds next_pause = kFirstAcceptPause;
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::list<std::weak_ptr<Session>> sessions;
  std::atomic<int> open_connections{0};  // live Sessions
  std::atomic<int> refusals{0};          // live Refusals

  size_t api_body_limit() const { return api.body_limit(); }
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void refuse(tcp::socket socket);
  void begin_shutdown();
};

// A connection past the limit: the 503 is written, then whatever the client sends is read and
// dropped until it closes (or two seconds pass), so the client reads the answer instead of a reset.
class HttpServer::Impl::Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  Refusal(tcp::socket socket, Impl& server) : socket_(std::move(socket)), timer_(socket_.get_executor()), server_(server) {
    ++server_.refusals;
  }
  ~Refusal() { --server_.refusals; }

  void start() {
    timer_.expires_after(std::chrono::seconds(2));
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->close();
    });
    asio::async_write(socket_, asio::buffer(busy_answer()), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      beast::error_code ignored;
      self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
      self->drain();
    });
  }

 private:
  void drain() {
    socket_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->drain();
    });
  }
  void close() {
    beast::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  Impl& server_;
  std::array<char, 512> scratch_{};
};

class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Impl& server) : stream_(std::move(socket)), server_(server) {}
  ~Session() { --server_.open_connections; }

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
    head_ = false;
    if (ec == http::error::body_limit) {
      return write(transport_problem(413, "body-too-large", "Request body too large",
                                     "The request body is larger than the limit of " +
                                         std::to_string(server_.api_body_limit()) + " bytes."),
                   false);
    }
    if (ec) {
      if (parser_ && parser_->is_header_done() == false && buffer_.size() == 0) return close();
      return write(transport_problem(400, "bad-request", "Malformed HTTP request", ec.message()), false);
    }
    busy_ = true;
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == http::verb::head;
    if (auto refused = check_framing(msg)) return write(std::move(*refused), false);
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    if (auto it = msg.find(http::field::authorization); it != msg.end()) req.authorization = std::string(it->value());
    if (auto it = msg.find(http::field::content_type); it != msg.end()) req.content_type = std::string(it->value());
    if (auto it = msg.find("Idempotency-Key"); it != msg.end()) req.idempotency_key = std::string(it->value());
    if (auto it = msg.find(http::field::if_match); it != msg.end()) req.if_match = std::string(it->value());
    if (auto it = msg.find(http::field::cookie); it != msg.end()) req.cookie = std::string(it->value());
    if (auto it = msg.find(http::field::accept_encoding); it != msg.end()) req.accept_encoding = std::string(it->value());
    if (auto it = msg.find(http::field::if_none_match); it != msg.end()) req.if_none_match = std::string(it->value());
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

  // What RFC 9112 asks a server to refuse before it trusts the message: an HTTP/1.1 request
  // without exactly one Host header, and a Transfer-Encoding this server cannot decode (Beast
  // reads the body by Content-Length unless "chunked" is the last coding, so anything else would
  // be read one way here and another way by a proxy in front). Both close the connection.
  static std::optional<HttpResponse> check_framing(const http::request<http::string_body>& msg) {
    const size_t hosts = msg.count(http::field::host);
    if (hosts > 1 || (hosts == 0 && msg.version() >= 11)) {
      return transport_problem(400, "bad-request", "Malformed HTTP request",
                               hosts == 0 ? "An HTTP/1.1 request needs a Host header."
                                          : "A request may carry only one Host header.");
    }
    std::vector<std::string> codings;
    auto [first, last] = msg.equal_range(http::field::transfer_encoding);
    if (first == last) return std::nullopt;
    for (auto it = first; it != last; ++it) {
      for (auto coding : http::token_list{it->value()}) codings.emplace_back(coding);
    }
    const bool chunked_last = !codings.empty() && beast::iequals(codings.back(), "chunked");
    if (!chunked_last) {
      return transport_problem(400, "bad-request", "Malformed HTTP request",
                               "The body's length cannot be known: the last Transfer-Encoding must be chunked.");
    }
    if (codings.size() > 1) {
      return transport_problem(501, "not-implemented", "Transfer coding not supported",
                               "Only the chunked transfer coding is understood; send the body without " +
                                   codings.front() + ".");
    }
    return std::nullopt;
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
    if (head_) {
      // The headers GET would send, Content-Length included, and no body (one would be read as
      // the start of the next response on this connection).
      const auto length = res_.body().size();
      res_.body().clear();
      res_.content_length(length);
    }
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
  bool head_ = false;  // the request being answered is a HEAD
};

void HttpServer::Impl::do_accept() {
  acceptor.async_accept(asio::make_strand(ioc),
                        [this](beast::error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec) {
    if (stopping || ec == asio::error::operation_aborted) return;
    if (is_resource_exhaustion(ec)) {
      // Out of descriptors (or memory): the connections already open go on being served while
      // the accept waits, longer each time it fails again.
      accept_pause.expires_after(next_pause);
      next_pause = std::min(next_pause * 2, kLongestAcceptPause);
      accept_pause.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec && !stopping) do_accept();
      });
      return;
    }
    return do_accept();  // that connection failed (e.g. reset before it was accepted); go on
  }
  next_pause = kFirstAcceptPause;
  if (stopping) return;
  if (open_connections.load() >= config.max_connections) {
    refuse(std::move(socket));
    return do_accept();
  }
  ++open_connections;
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
}

void HttpServer::Impl::refuse(tcp::socket socket) {
  if (refusals.load() >= kMaxRefusalsInFlight) {
    beast::error_code ignored;
    socket.close(ignored);  // a flood of new connections: no answer, but no work either
    return;
  }
  std::make_shared<Refusal>(std::move(socket), *this)->start();
}

void HttpServer::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  asio::post(accept_strand, [this] {
    beast::error_code ec;
    acceptor.close(ec);
    accept_pause.cancel();
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
  if (impl_->config.max_connections < 1) {
    return invalid_argument("--max-connections", "must be at least 1");
  }
  // Every connection holds a descriptor: make room for the limit if the hard limit allows.
  rlimit files{};
  const auto wanted = static_cast<rlim_t>(impl_->config.max_connections) + kReservedFileDescriptors;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY && files.rlim_cur < wanted) {
    files.rlim_cur = files.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, files.rlim_max);
    setrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < wanted) {
      std::cerr << "townhall: warning: the open-file limit (" << files.rlim_cur << ") is below --max-connections ("
                << impl_->config.max_connections << ") + " << kReservedFileDescriptors
                << "; when it is reached, new connections wait (raise it with ulimit -n)" << std::endl;
    }
  }
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
