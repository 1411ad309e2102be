// Hostile input: what a security test sent the server and what it must answer. Nothing from
// outside may cause a 5xx, a crash, or unbounded stack, memory, connections or disk; bad input gets
// a 4xx naming the problem and changes nothing.
//
// The first half drives the Api in process (the request pipeline decides these answers); the
// second half talks to the real `townhall serve` over loopback sockets, where the transport
// decides: HEAD, Host, Transfer-Encoding, the connection limit, running out of file descriptors,
// and a full disk.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "http_client.h"
#include "in_process.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/access/token.h"
#include "townhall/util/json_parse.h"

namespace townhall::server {
namespace {

std::string header_of(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

const nlohmann::json kQuestions = {
    {{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
    {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}, {"max_length", 20}},
    {{"id", "days"}, {"type", "multiple_choice"}, {"text", "Which days?"}, {"options", {"mon", "sat"}}}};

// An open consultation "c-1" straight through the store (no charter checks: not under test here).
std::string open_consultation(Store& store) {
  nlohmann::json doc = {{"title", "Library hours"}, {"opens", "2026-02-01"}, {"closes", "2026-12-31"},
                        {"questions", kQuestions}};
  auto c = store.create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}}).value();
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    TransitionRecord t;
    t.consultation_id = c.id;
    t.from = from;
    t.to = to;
    EXPECT_TRUE(store.transition_consultation(t).ok());
  }
  return c.id;
}

std::string nested_arrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-hostile");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    ApiOptions o;
    o.today = [] { return Date::parse("2026-03-02").value(); };
    api = std::make_unique<Api>(*store, o);
    officer = new_bearer_token();
    ASSERT_TRUE(store->add_user(Role::kOfficer, "Olu", hash_token(officer)).ok());
    consultation = open_consultation(*store);
  }
  void TearDown() override {
    api.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "",
                    const std::string& token = "", HttpRequest r = {}) {
    r.method = method;
    r.target = target;
    if (!token.empty()) r.authorization = "Bearer " + token;
    r.body = body;
    if (!body.empty() && r.content_type.empty()) r.content_type = "application/json";
    return testing::handle_and_wait(*api, r);
  }
  nlohmann::json problem_of(const HttpResponse& r) {
    EXPECT_EQ(r.content_type, "application/problem+json") << r.body;
    return nlohmann::json::parse(r.body);
  }
  size_t members() { return store->list_members()->size(); }
  int64_t responses() { return store->list_responses(consultation, 1000, 0)->size(); }

  std::string dir, officer, consultation;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

// ---- flaw 1: one anonymous request must not crash the server -----------------------------------

TEST_F(HostileInput, AFactNestedFiftyThousandArraysDeepIsRefusedAtParseTime) {
  // 50,000 levels in a 100 KB body (under the 1 MiB limit): stored, nlohmann's recursive dump()
  // overflowed the stack. 45,000 levels were accepted and stored.
  for (size_t depth : {size_t{50000}, size_t{45000}, kMaxJsonDepth + 1}) {
    std::string body = R"({"name":"Mallory","consent":true,"facts":{"ward":)" + nested_arrays(depth) + "}}";
    auto r = call("POST", "/api/v1/panel/join", body);
    ASSERT_EQ(r.status, 400) << depth << ": " << r.body.substr(0, 300);
    auto p = problem_of(r);
    EXPECT_EQ(p["type"], "urn:townhall:problem:invalid-json");
    EXPECT_NE(p["detail"].get<std::string>().find("more than 64 levels deep"), std::string::npos) << p.dump();
    EXPECT_EQ(p["pointer"].get<std::string>().substr(0, 14), "/facts/ward/0/");
  }
  EXPECT_EQ(members(), 0u);
  // Deep bodies on other routes, and on the plain-body path of response submission, too.
  auto draft = call("POST", "/api/v1/consultations", R"({"title":"x","questions":)" + nested_arrays(50000) + "}", officer);
  EXPECT_EQ(draft.status, 400) << draft.body.substr(0, 300);
  auto answers = call("POST", "/api/v1/consultations/" + consultation + "/responses",
                      R"({"answers":{"why":)" + nested_arrays(50000) + "}}");
  EXPECT_EQ(answers.status, 400) << answers.body.substr(0, 300);
  EXPECT_EQ(responses(), 0);
}

// valijson matches "pattern" with std::regex, which recursed once per subtag of a language tag:
// a 100 KB "language" overflowed the stack just as deep nesting did.
TEST_F(HostileInput, AHundredKilobyteLanguageTagIsRefusedNotMatchedRecursively) {
  std::string tag = "aa";
  while (tag.size() < 100000) tag += "-bb";
  auto r = call("POST", "/api/v1/consultations/" + consultation + "/responses",
                R"({"answers":{"agree":true},"language":")" + tag + "\"}");
  ASSERT_EQ(r.status, 422) << r.body.substr(0, 300);
  EXPECT_EQ(problem_of(r)["pointer"], "/language");
  auto draft = call("POST", "/api/v1/consultations", R"({"title":"x","languages":[")" + tag + "\"]}", officer);
  ASSERT_EQ(draft.status, 422) << draft.body.substr(0, 300);
  EXPECT_EQ(problem_of(draft)["pointer"], "/languages/0");
  EXPECT_EQ(responses(), 0);
}

TEST_F(HostileInput, FactsAreFlatValuesOrShortLists) {
  // Within the depth limit but still not a fact: a list inside a list, an object, a long list.
  const std::vector<std::pair<std::string, std::string>> refused = {
      {R"([["a"]])", "/facts/ward/0"},
      {R"({"a":1})", "/facts/ward"},
      {"[" + std::string(20, ' ') + R"("a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a"])",
       "/facts/ward"},
      {"\"" + std::string(201, 'x') + "\"", "/facts/ward"},
      {R"(1.5)", "/facts/ward"},
  };
  for (const auto& [value, pointer] : refused) {
    auto r = call("POST", "/api/v1/panel/join", R"({"name":"Mallory","consent":true,"facts":{"ward":)" + value + "}}");
    ASSERT_EQ(r.status, 422) << value << ": " << r.body;
    EXPECT_EQ(problem_of(r)["pointer"], pointer) << value;
  }
  EXPECT_EQ(members(), 0u);
  auto ok = call("POST", "/api/v1/panel/join",
                 R"({"name":"Ann","consent":true,"facts":{"ward":"Golborne","contact_preference":["email","post"],"household":3}})");
  EXPECT_EQ(ok.status, 201) << ok.body;
  // Answers are flat too: the schema refuses an object or a list of lists before the handler.
  for (std::string value : {R"({"a":1})", R"([["mon"]])", "1.5"}) {
    auto r = call("POST", "/api/v1/consultations/" + consultation + "/responses",
                  R"({"answers":{"agree":true,"days":)" + value + "}}");
    ASSERT_EQ(r.status, 422) << value << ": " << r.body;
    EXPECT_EQ(problem_of(r)["pointer"].get<std::string>().rfind("/answers/days", 0), 0u) << r.body;
  }
  EXPECT_EQ(responses(), 0);
}

// ---- wrong answers to bad input (no 5xx, ever) --------------------------------------------------

TEST_F(HostileInput, ANumberPastTheRangeOfADoubleIsNamed) {
  auto join = call("POST", "/api/v1/panel/join", R"({"name":"Mallory","consent":true,"facts":{"household":1e400}})");
  ASSERT_EQ(join.status, 422) << join.body;
  auto p = problem_of(join);
  EXPECT_EQ(p["pointer"], "/facts/household");
  EXPECT_NE(p["detail"].get<std::string>().find("1e400"), std::string::npos) << p.dump();
  auto answer = call("POST", "/api/v1/consultations/" + consultation + "/responses",
                     R"({"answers":{"agree":true},"person_id":-1e400})");
  ASSERT_EQ(answer.status, 422) << answer.body;
  EXPECT_EQ(problem_of(answer)["pointer"], "/person_id");
  auto draft = call("POST", "/api/v1/consultations", R"({"title":"x","summary":"y","opens":"2026-04-01","weeks":1e999})", officer);
  ASSERT_EQ(draft.status, 422) << draft.body;
  EXPECT_EQ(problem_of(draft)["pointer"], "/weeks");
  EXPECT_EQ(members(), 0u);
  EXPECT_EQ(responses(), 0);
}

TEST_F(HostileInput, TextThatIsNotUtf8InThePathQueryOrHeadersIsA400) {
  for (std::string target : {"/api/v1/consultations/%ff", "/api/v1/consultations/%c3%28/questions",
                                    "/api/v1/consultations/%00", "/api/v1/nothing/%ff", "/cy/%ff",
                                    "/api/v1/consultations/\xff"}) {
    auto r = call("GET", target);
    ASSERT_EQ(r.status, 400) << target << ": " << r.body;
    EXPECT_EQ(problem_of(r)["type"], "urn:townhall:problem:invalid-path") << target;
  }
  for (std::string query : {"?status=%ff", "?lang=%ff", "?%ff=1", "?limit=%00"}) {
    auto r = call("GET", "/api/v1/consultations" + query);
    ASSERT_EQ(r.status, 400) << query << ": " << r.body;
    auto p = problem_of(r);
    EXPECT_EQ(p["type"], "urn:townhall:problem:invalid-query") << query;
    EXPECT_EQ(p["pointer"].get<std::string>()[0], '?');
  }
  EXPECT_EQ(problem_of(call("GET", "/api/v1/consultations/" + consultation + "?lang=%ff"))["pointer"], "?lang");
  // Every header value the API reads, and may quote in its answer.
  auto with = [](auto field, std::string value) {
    HttpRequest r;
    r.*field = std::move(value);
    return r;
  };
  const std::string body = R"({"answers":{"agree":true}})";
  const std::string target = "/api/v1/consultations/" + consultation + "/responses";
  for (auto r : {with(&HttpRequest::content_type, "application/\xff"), with(&HttpRequest::idempotency_key, "k\xff"),
                 with(&HttpRequest::if_match, "\"\xff\""), with(&HttpRequest::accept_language, "cy\xff"),
                 with(&HttpRequest::idempotency_key, std::string("k\0k", 3))}) {
    auto res = call("POST", target, body, "", r);
    ASSERT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(problem_of(res)["type"], "urn:townhall:problem:invalid-header");
  }
  EXPECT_EQ(responses(), 0);
}

TEST_F(HostileInput, AnEscapedNulInTextIsRefusedOnTheGeneralPath) {
  // valijson counts maxLength up to the NUL: "a" + NUL + 1,000 characters passed maxLength 200.
  auto r = call("POST", "/api/v1/panel/join", R"({"name":"a\u0000)" + std::string(1000, 'b') + R"(","consent":false})");
  ASSERT_EQ(r.status, 422) << r.body;
  auto p = problem_of(r);
  EXPECT_EQ(p["pointer"], "/name");
  EXPECT_NE(p["detail"].get<std::string>().find("U+0000"), std::string::npos);
  // Other control characters but tab and line breaks, in values and member names.
  for (std::string body : {R"({"name":"bell\u0007","consent":false})", R"({"name":"esc\u001b[2J","consent":false})",
                                  R"({"name":"x","consent":false,"facts":{"ward\u0000":"a"}})"}) {
    EXPECT_EQ(call("POST", "/api/v1/panel/join", body).status, 422) << body;
  }
  EXPECT_EQ(members(), 0u);
  EXPECT_EQ(call("POST", "/api/v1/panel/join", R"({"name":"Ann\tLee","consent":false,"address":"1 High St\r\nLondon"})").status,
            201);
}

TEST_F(HostileInput, AnEscapedNulInTextIsRefusedOnThePlainBodyPath) {
  const std::string target = "/api/v1/consultations/" + consultation + "/responses";
  auto before = api->commit_stats();
  for (std::string why : {"a\\u0000bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "\\b", "ring\\u0007", "x\\f"}) {
    auto r = call("POST", target, R"({"answers":{"agree":true,"why":")" + why + "\"}}");
    ASSERT_EQ(r.status, 422) << why << ": " << r.body;
    auto p = problem_of(r);
    EXPECT_EQ(p["pointer"], "/answers/why") << why;
    EXPECT_NE(p["detail"].get<std::string>().find("control character"), std::string::npos) << p.dump();
  }
  auto list = call("POST", target, R"({"answers":{"agree":true,"days":["mon\u0000"]}})");
  ASSERT_EQ(list.status, 422) << list.body;
  EXPECT_EQ(problem_of(list)["pointer"], "/answers/days/0");
  EXPECT_EQ(responses(), 0);
  EXPECT_EQ(api->commit_stats().submissions, before.submissions);
  // Line breaks and tabs are text; the plain path still takes such a body.
  auto ok = call("POST", target, R"({"answers":{"agree":true,"why":"one\ntwo\tthree"}})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(api->commit_stats().plain_bodies, before.plain_bodies + 1);
}

TEST_F(HostileInput, AByteOrderMarkOrATrailingNulAroundJsonIsRefused) {
  const std::string target = "/api/v1/consultations/" + consultation + "/responses";
  const std::string body = R"({"answers":{"agree":true}})";
  for (const std::string& wrapped : {"\xEF\xBB\xBF" + body, body + std::string(1, '\0'), body + std::string("\0junk", 5)}) {
    auto r = call("POST", target, wrapped);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(problem_of(r)["type"], "urn:townhall:problem:invalid-json");
    auto j = call("POST", "/api/v1/panel/join",
                  wrapped.substr(0, 3) == "\xEF\xBB\xBF" ? "\xEF\xBB\xBF{\"name\":\"A\",\"consent\":false}"
                                                         : "{\"name\":\"A\",\"consent\":false}" + wrapped.substr(body.size()));
    EXPECT_EQ(j.status, 400) << j.body;
  }
  EXPECT_EQ(responses(), 0);
  EXPECT_EQ(members(), 0u);
}

// Every JSON answer says nosniff; only public documents served to an anonymous reader may be kept
// by a cache, and never an answer about a person or to a signed-in caller.
TEST_F(HostileInput, JsonAnswersSayNosniffAndPersonalOnesNoStore) {
  auto cache_control = [](const HttpResponse& r) { return header_of(r, "Cache-Control"); };
  auto pub = call("GET", "/api/v1/consultations");
  ASSERT_EQ(pub.status, 200);
  EXPECT_EQ(header_of(pub, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(cache_control(pub), "no-cache");
  EXPECT_EQ(cache_control(call("GET", "/api/v1/consultations/" + consultation)), "no-cache");
  EXPECT_EQ(cache_control(call("GET", "/api/v1/consultations", "", officer)), "no-store");  // drafts show
  EXPECT_EQ(cache_control(call("GET", "/api/v1/consultations/nope")), "no-store");         // errors
  EXPECT_EQ(cache_control(call("GET", "/health")), "no-store");
  auto joined = call("POST", "/api/v1/panel/join", R"({"name":"Ann","email":"ann@example.org","consent":false})");
  ASSERT_EQ(joined.status, 201);
  EXPECT_EQ(cache_control(joined), "no-store");
  auto member_token = nlohmann::json::parse(joined.body)["token"].get<std::string>();
  auto me = call("GET", "/api/v1/me/panel", "", member_token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(cache_control(me), "no-store");
  EXPECT_EQ(header_of(me, "X-Content-Type-Options"), "nosniff");
  auto list = call("GET", "/api/v1/panel/members", "", officer);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(cache_control(list), "no-store");
  auto sent = call("POST", "/api/v1/consultations/" + consultation + "/responses", R"({"answers":{"agree":true}})");
  ASSERT_EQ(sent.status, 201);
  EXPECT_EQ(cache_control(sent), "no-store");
  EXPECT_EQ(header_of(sent, "X-Content-Type-Options"), "nosniff");

  // Every route: whatever it answers an anonymous GET (mostly 401 or 404 here), a JSON answer has
  // both headers, and no-cache only on the public documents' successes.
  for (const auto& route : api->routes()) {
    if (route.method != "GET") continue;
    std::string target = route.pattern;
    for (auto [from, to] : {std::pair<std::string, std::string>{"{id}", consultation}, {"{lang}", "cy"}}) {
      if (auto at = target.find(from); at != std::string::npos) target.replace(at, from.size(), to);
    }
    for (size_t open; (open = target.find('{')) != std::string::npos;) target.replace(open, target.find('}') - open + 1, "1");
    auto r = call("GET", target);
    ASSERT_LT(r.status, 500) << target << ": " << r.body;
    EXPECT_EQ(header_of(r, "X-Content-Type-Options"), "nosniff") << target;
    if (r.content_type.rfind("application/json", 0) == 0 || r.content_type == "application/problem+json") {
      const bool public_document = route.roles.count(Role::kPublic) && route.pattern.rfind("/api/v1/", 0) == 0 &&
                                   route.pattern.find("panel") == std::string::npos &&
                                   route.pattern.find("/me/") == std::string::npos &&
                                   !route.pattern.ends_with("/me") &&
                                   route.pattern.find("responses") == std::string::npos &&
                                   route.pattern.find("audit") == std::string::npos;
      EXPECT_EQ(cache_control(r), public_document && r.status < 400 ? "no-cache" : "no-store") << target;
    }
  }
}

}  // namespace
}  // namespace townhall::server

// ---- over real sockets: the transport's answers ----------------------------------------------------
namespace townhall::testing {
namespace {

std::string run_command(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// `townhall serve` in a child process with resource limits set before exec (RLIMIT_NOFILE,
// RLIMIT_FSIZE), so a test can run the server out of descriptors or disk without root.
class LimitedServer {
 public:
  struct Limits {
    rlim_t open_files = 0;  // 0 = unchanged
    rlim_t file_size = 0;   // bytes; 0 = unchanged
  };
  LimitedServer(const std::string& db, Limits limits, std::vector<std::string> extra = {})
      : stderr_path_(db + ".stderr"),
        process_(db, std::move(extra), [limits, path = stderr_path_] {
          // Kept in a file, not shown: the open-file warning is expected here, but if the server
          // dies its last words (a sanitizer report, an uncaught exception) explain why.
          int log = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
          dup2(log, 2);
          close(log);
          if (limits.open_files) {
            rlimit r{limits.open_files, limits.open_files};
            setrlimit(RLIMIT_NOFILE, &r);
          }
          if (limits.file_size) {
            rlimit r{limits.file_size, limits.file_size};
            setrlimit(RLIMIT_FSIZE, &r);
          }
        }),
        port(process_.port) {}
  ~LimitedServer() { process_.kill_hard(); }
  // CPU seconds (user + system) the server has used so far.
  double cpu_seconds() const {
    std::ifstream in("/proc/" + std::to_string(process_.pid()) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string f;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
      if (i == 14 || i == 15) ticks += std::stod(f);
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  bool alive() const { return waitpid(process_.pid(), nullptr, WNOHANG) == 0; }
  // The server's standard error so far: printed by a test when the server did not survive.
  std::string error_output() const {
    std::ifstream in(stderr_path_);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    return text.size() > 8000 ? text.substr(text.size() - 8000) : text;
  }

 private:
  std::string stderr_path_;
  ServerProcess process_;

 public:
  uint16_t port;
};

// Reads the status line and headers of one response (no body); "" when the connection closed.
std::string read_head(int fd, std::string& buffer) {
  char chunk[4096];
  size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return "";
    buffer.append(chunk, static_cast<size_t>(n));
  }
  std::string head = buffer.substr(0, end + 4);
  buffer.erase(0, end + 4);
  return head;
}

std::string header_value(const std::string& head, const std::string& lower_name) {
  std::string lower = head;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto at = lower.find("\r\n" + lower_name + ":");
  if (at == std::string::npos) return "";
  at += 3 + lower_name.size();
  while (head[at] == ' ') ++at;
  return head.substr(at, head.find("\r\n", at) - at);
}

// True when the server closed the connection (EOF or reset) within a couple of seconds.
bool closed_by_server(int fd) {
  char c;
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 3000) <= 0) return false;
  return ::recv(fd, &c, 1, 0) <= 0;
}

class HostileTransport : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/townhall-hostile-XXXXXX";
    dir = mkdtemp(tmpl);
    db = dir + "/townhall.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string dir, db;
};

TEST_F(HostileTransport, HeadAnswersCarryHeadersOnlySoKeepAliveStaysInStep) {
  ServerProcess server(db);
  int fd = connect_loopback(server.port);
  std::string buffer;
  send_all(fd, "GET /api/v1/consultations HTTP/1.1\r\nHost: x\r\n\r\n");
  HttpResult get = read_response(fd, buffer);
  ASSERT_EQ(get.status, 200);
  ASSERT_FALSE(get.body.empty());
  // HEAD, then GET on the same connection: the HEAD answer announces GET's length but sends no
  // body, so the next thing on the wire is the GET's status line.
  send_all(fd, "HEAD /api/v1/consultations HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string head = read_head(fd, buffer);
  ASSERT_EQ(head.substr(0, 12), "HTTP/1.1 200") << head;
  EXPECT_EQ(header_value(head, "content-length"), std::to_string(get.body.size())) << head;
  HttpResult next = read_response(fd, buffer);
  EXPECT_EQ(next.status, 200) << "after HEAD the connection held: " << buffer.substr(0, 200);
  EXPECT_EQ(next.json()["status"], "ok");
  close(fd);
}

TEST_F(HostileTransport, Http11WithoutExactlyOneHostIsRefused) {
  ServerProcess server(db);
  for (const std::string& request : {std::string("GET /health HTTP/1.1\r\n\r\n"),
                                     std::string("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")}) {
    int fd = connect_loopback(server.port);
    std::string buffer;
    send_all(fd, request);
    HttpResult r = read_response(fd, buffer);
    EXPECT_EQ(r.status, 400) << request;
    EXPECT_NE(r.body.find("Host"), std::string::npos) << r.body;
    EXPECT_TRUE(closed_by_server(fd));
    close(fd);
  }
  // HTTP/1.0 has no Host requirement.
  int fd = connect_loopback(server.port);
  std::string buffer;
  send_all(fd, "GET /health HTTP/1.0\r\n\r\n");
  EXPECT_EQ(read_response(fd, buffer).status, 200);
  close(fd);
}

TEST_F(HostileTransport, UnknownTransferCodingsAreRefusedNotReadByContentLength) {
  ServerProcess server(db);
  const std::string body = R"({"name":"Smuggled","consent":false})";
  auto send_join = [&](const std::string& framing, const std::string& payload) {
    int fd = connect_loopback(server.port);
    std::string buffer;
    send_all(fd, "POST /api/v1/panel/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + framing +
                     "\r\n" + payload);
    HttpResult r = read_response(fd, buffer);
    bool closed = closed_by_server(fd);
    close(fd);
    return std::pair{r, closed};
  };
  // "xchunked" is not chunked: Beast would read the body by Content-Length, a proxy might not.
  auto [x, x_closed] = send_join("Transfer-Encoding: xchunked\r\nContent-Length: " + std::to_string(body.size()) + "\r\n", body);
  EXPECT_EQ(x.status, 400) << x.body;
  EXPECT_TRUE(x_closed);
  auto [alone, alone_closed] = send_join("Transfer-Encoding: identity\r\n", body);
  EXPECT_EQ(alone.status, 400) << alone.body;
  EXPECT_TRUE(alone_closed);
  // A coding before chunked that the server does not decode.
  std::string chunked = std::to_string(body.size()) + "\r\n" + body + "\r\n0\r\n\r\n";
  char hex[16];
  std::snprintf(hex, sizeof hex, "%zx", body.size());
  chunked = std::string(hex) + "\r\n" + body + "\r\n0\r\n\r\n";
  auto [gzip, gzip_closed] = send_join("Transfer-Encoding: gzip, chunked\r\n", chunked);
  EXPECT_EQ(gzip.status, 501) << gzip.body;
  EXPECT_TRUE(gzip_closed);
  // Plain chunked still works.
  auto [plain, plain_closed] = send_join("Transfer-Encoding: chunked\r\n", chunked);
  EXPECT_EQ(plain.status, 201) << plain.body;
  (void)plain_closed;
  // Only that one member was created.
  std::string token = run_command(std::string(TOWNHALL_CLI) + " users add --db " + db + " --create --role officer 2>/dev/null");
  HttpClient officer(server.port);
  officer.token = token;
  auto members = officer.get("/api/v1/panel/members");
  ASSERT_EQ(members.status, 200) << members.body;
  EXPECT_EQ(members.json()["total"], 1) << members.body;
}

TEST_F(HostileTransport, ConnectionsPastTheLimitAreRefusedAndOpenOnesStillServed) {
  constexpr int kLimit = 8;
  ServerProcess server(db, {"--max-connections", std::to_string(kLimit)});
  std::vector<std::unique_ptr<HttpClient>> open;
  for (int i = 0; i < kLimit; ++i) {
    open.push_back(std::make_unique<HttpClient>(server.port));
    ASSERT_EQ(open.back()->get("/health").status, 200) << i;  // accepted and kept alive
  }
  // Past the limit: a 503 with Retry-After, written before any request, and the connection closes.
  for (int i = 0; i < 20; ++i) {
    int fd = connect_loopback(server.port);
    std::string buffer;
    HttpResult r = read_response(fd, buffer);
    EXPECT_EQ(r.status, 503) << i;
    EXPECT_EQ(r.header("retry-after"), "5");
    EXPECT_EQ(r.json()["type"], "urn:townhall:problem:too-many-connections");
    EXPECT_TRUE(closed_by_server(fd));
    close(fd);
  }
  // The connections already open are still answered.
  for (auto& c : open) {
    auto r = c->get("/health");
    EXPECT_EQ(r.status, 200);
  }
  EXPECT_EQ(open[0]->connections_opened(), 1);
  // Once one closes, a new connection is served again.
  open.pop_back();
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    HttpClient fresh(server.port);
    served = fresh.get("/health").status == 200;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(served);
}

// With descriptors exhausted (RLIMIT_NOFILE lowered in the child), accept() fails with EMFILE at
// once, every time: retrying at once spun at 141% CPU. The server must wait between tries, keep
// serving the connections it has, and accept again once descriptors are free.
TEST_F(HostileTransport, OutOfFileDescriptorsTheAcceptLoopBacksOff) {
  LimitedServer server(db, {.open_files = 48}, {"--max-connections", "1000"});
  HttpClient first(server.port);
  ASSERT_EQ(first.get("/health").status, 200);
  std::vector<int> flood;
  for (int i = 0; i < 80; ++i) flood.push_back(connect_loopback(server.port));  // the backlog holds the rest
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  double before = server.cpu_seconds();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  double used = server.cpu_seconds() - before;
  EXPECT_LT(used, 0.3) << "the server used " << used << " s of CPU in 2 s while out of descriptors";
  EXPECT_EQ(first.get("/health").status, 200);  // still served
  EXPECT_EQ(first.connections_opened(), 1);
  ASSERT_TRUE(server.alive()) << server.error_output();
  for (int fd : flood) close(fd);
  bool served = false;
  for (int attempt = 0; attempt < 100 && !served; ++attempt) {
    try {
      HttpClient fresh(server.port);
      served = fresh.get("/health").status == 200;
    } catch (const std::exception&) {
    }
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(served) << "no new connection was served after descriptors were freed";
}

// A full disk is the server's trouble, not the client's: 503 with Retry-After, nothing half
// stored, and everything that does not write still answered. The child server runs under a file
// size limit (RLIMIT_FSIZE), which works the same as root or not: writes past it fail with EFBIG.
TEST_F(HostileTransport, AFullDiskIsA503WithRetryAfter) {
  std::string id;
  {
    auto store = std::move(open_sqlite_store(db, SqliteOptions::creating())).value();
    id = server::open_consultation(*store);
  }
  const auto size = std::filesystem::file_size(db);
  LimitedServer server(db, {.file_size = size + 96 * 1024});
  HttpClient resident(server.port);
  const std::string target = "/api/v1/consultations/" + id + "/responses";
  int stored = 0, full = 0;
  for (int i = 0; i < 400 && full < 3; ++i) {
    // Long free text so the WAL reaches the limit in a few dozen commits.
    auto r = resident.post(target, {{"answers", {{"agree", true}, {"why", std::string(18, 'w')}, {"days", {"mon"}}}}});
    ASSERT_NE(r.status, 0) << "the server died after " << stored << " responses";
    ASSERT_TRUE(r.status < 500 || r.status == 503) << r.status << " " << r.body;
    if (r.status == 201) ++stored;
    if (r.status == 503) {
      ++full;
      EXPECT_EQ(r.header("retry-after"), "120");
      EXPECT_EQ(r.json()["type"], "urn:townhall:problem:storage-full") << r.body;
    }
  }
  EXPECT_GT(stored, 0);
  EXPECT_EQ(full, 3) << "the disk never filled after " << stored << " responses";
  EXPECT_EQ(resident.get("/health").status, 200);
  EXPECT_EQ(resident.get("/api/v1/consultations/" + id).status, 200);
  EXPECT_TRUE(server.alive()) << server.error_output();
}

}  // namespace
}  // namespace townhall::testing
