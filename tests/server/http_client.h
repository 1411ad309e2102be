// A small blocking HTTP/1.1 client for the end-to-end tests (loopback only, keep-alive), and a
// helper that runs the real `townhall serve` binary on a free port.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace townhall::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

inline int connect_loopback(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

inline void send_all(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t w = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (w <= 0) return;  // the server may close early (e.g. 413); the response is still read
    sent += static_cast<size_t>(w);
  }
}

// Reads one response; status 0 when the connection closed before a complete response.
inline HttpResult read_response(int fd, std::string& buffer) {
  HttpResult r;
  char chunk[65536];
  auto fill = [&]() {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return r;
  }
  std::string head = buffer.substr(0, end);
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  int status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string::npos) e = head.size();
    std::string line = head.substr(pos, e - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    pos = e + 2;
  }
  size_t length = std::strtoul(r.header("content-length").c_str(), nullptr, 10);
  while (buffer.size() < end + 4 + length) {
    if (!fill()) return HttpResult{};
  }
  r.body = buffer.substr(end + 4, length);
  buffer.erase(0, end + 4 + length);
  r.status = status;
  return r;
}

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}
  ~HttpClient() { disconnect(); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  std::string token;  // sent as a bearer token when set

  HttpResult request(const std::string& method, const std::string& path, const std::string& body = "",
                     std::map<std::string, std::string> headers = {}) {
    if (fd_ < 0) {
      fd_ = connect_loopback(port_);
      ++connects_;
    }
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace("Content-Type", "application/json");
    for (auto& [k, v] : headers) req += k + ": " + v + "\r\n";
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    send_all(fd_, req);
    HttpResult r = read_response(fd_, buffer_);
    ++requests_;
    if (r.status == 0 || r.header("connection") == "close") disconnect();
    return r;
  }
  HttpResult get(const std::string& path) { return request("GET", path); }
  HttpResult post(const std::string& path, const nlohmann::json& body, std::map<std::string, std::string> h = {}) {
    return request("POST", path, body.dump(), std::move(h));
  }
  HttpResult put(const std::string& path, const nlohmann::json& body) { return request("PUT", path, body.dump()); }

  int connections_opened() const { return connects_; }
  void disconnect() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    buffer_.clear();
  }
  bool connected() const { return fd_ >= 0; }

 private:
  uint16_t port_;
  int fd_ = -1;
  int connects_ = 0;
  int requests_ = 0;
  std::string buffer_;
};

// `townhall serve --db DB --create --port 0` as a child process (making DB when it is new); the
// port is read from its first line.
class ServerProcess {
 public:
  // `in_child` runs in the child just before exec (resource limits, where stderr goes).
  explicit ServerProcess(const std::string& db, std::vector<std::string> extra = {},
                         const std::function<void()>& in_child = {}) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      if (in_child) in_child();
      std::vector<std::string> args = {TOWNHALL_CLI, "serve", "--db", db, "--create", "--port", "0"};
      for (auto& e : extra) args.push_back(e);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = out[0];
    std::string line;
    char c;
    while (::read(out_, &c, 1) == 1 && c != '\n') line += c;
    first_line = line;
    auto p = line.find("127.0.0.1:");
    if (p == std::string::npos) throw std::runtime_error("server did not start: " + line);
    port = static_cast<uint16_t>(std::atoi(line.c_str() + p + 10));
  }
  ~ServerProcess() {
    if (pid_ > 0) stop();
    if (out_ >= 0) close(out_);
  }
  // SIGTERM, then the exit code (-1 if it did not exit normally).
  int stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }
  void terminate_async() { kill(pid_, SIGTERM); }
  // SIGKILL: the process ends at once, with no chance to finish or flush anything.
  void kill_hard() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = -1;
  }

  pid_t pid() const { return pid_; }

  uint16_t port = 0;
  std::string first_line;

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int exit_code_ = -1;
};

// Runs `command` in a shell: its standard output without trailing newlines, and its exit code.
inline std::string shell_output(const std::string& command, int* exit_code) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + command);
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  if (exit_code) *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// A console account for an officer (`username`, or `role`) made with the command-line tool `cli`
// in the database `db` (a path or a PostgreSQL URL; the database is made if missing): its bearer
// token. An exception needs one: the officer who approves it must have a console account.
inline std::string add_console_officer(const std::string& cli, const std::string& db, const std::string& username,
                                       const std::string& role = "officer") {
  int code = -1;
  std::string token = shell_output("printf '%s' 'a long enough test password' | " + cli + " users add --db '" + db +
                                       "' --create --role " + role + " --username " + username +
                                       " --password-stdin 2>/dev/null",
                                   &code);
  if (code != 0) throw std::runtime_error("adding the console officer " + username + " failed: " + token);
  return token;
}

// `officer` asks for the exception the step to `to` of consultation `id` needs, naming the
// officer signed in as `approver` (a console account), who approves it: the approved request's id,
// for the step's {"exception": {"request_id": ...}}. Throws with the server's answer when refused.
inline int64_t approved_exception(HttpClient& officer, HttpClient& approver, const std::string& id, const std::string& to,
                                  const std::string& reason = "The test runs before the published dates") {
  auto me = approver.get("/api/v1/me");
  if (me.status != 200) throw std::runtime_error("the approver is not signed in: " + me.body);
  auto asked = officer.post("/api/v1/consultations/" + id + "/exception-requests",
                            {{"to", to}, {"reason", reason}, {"approver", me.json()["id"]}});
  if (asked.status != 201) throw std::runtime_error("asking for the exception: " + asked.body);
  const int64_t request = asked.json()["id"];
  auto decided = approver.post("/api/v1/exception-requests/" + std::to_string(request) + "/decision", {{"decision", "approve"}});
  if (decided.status != 200) throw std::runtime_error("approving the exception: " + decided.body);
  return request;
}

// Moves consultation `id` to `to` with an exception `officer` asks for and `approver` approves.
inline HttpResult step_with_exception(HttpClient& officer, HttpClient& approver, const std::string& id, const std::string& to,
                                      const std::string& reason = "The test runs before the published dates") {
  const int64_t request = approved_exception(officer, approver, id, to, reason);
  return officer.post("/api/v1/consultations/" + id + "/transitions", {{"to", to}, {"exception", {{"request_id", request}}}});
}

// Creates the two-question consultation the load tests answer ("ok", a required yes/no, and
// "why", free text) and opens it at once: the step needs the exception that opening before the
// published dates always needs, which `approver` approves. Its id; throws with the server's answer
// when a step is refused.
inline std::string open_load_test_consultation(HttpClient& officer, HttpClient& approver) {
  nlohmann::json doc = {{"title", "Late-night opening of the leisure centre"},
                        {"opens", "2027-03-01"},
                        {"closes", "2027-04-11"},
                        {"proposal", "Open until 11pm on weekdays."},
                        {"reasons", "Shift workers asked for it."},
                        {"options_considered", {{{"option", "Open late"}}, {{"option", "No change"}, {"rejected", true}}}},
                        {"questions",
                         {{{"id", "ok"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
                          {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}}}}};
  auto created = officer.post("/api/v1/consultations", doc);
  if (created.status != 201) throw std::runtime_error("creating the consultation: " + created.body);
  const std::string id = created.json()["id"];
  for (const char* to : {"scheduled", "open"}) {
    auto moved = step_with_exception(officer, approver, id, to);
    if (moved.status != 200) throw std::runtime_error(std::string("moving the consultation to ") + to + ": " + moved.body);
  }
  return id;
}

}  // namespace townhall::testing
