// The request path of the API and the web pages: Api::handle over a SQLite store in memory —
// percent-decoding, query parsing, route matching, authentication, the body pipeline and every
// handler behind it.
// Input, one request in a small text form:
//   POST /api/v1/consultations/c-1/responses?lang=cy     (method, a space, the request target)
//   authorization: officer                              (header lines, until an empty line;
//   cookie: th_session=...                               authorization "officer", "governance",
//   accept-language: cy, en;q=0.5                        "admin" or "member" is replaced by that
//   content-type: application/json                       user's real bearer token)
//   idempotency-key: k-1
//   if-match: "1"
//
//   {"answers": {"agree": true}}                        (the body)
// "{{session}}" anywhere in the cookie header and "{{csrf}}" anywhere in the body stand for a page
// session the server issued and that session's CSRF token (taken from a form page, as a browser
// does), so the fuzzer can reach what page forms do once the CSRF check passes.
// The store is seeded through the API itself (users, consultations open and in draft with
// questions and a Welsh translation, a Forward Plan key decision, a meeting, panel members, a
// response) and built afresh every kRequestsPerStore requests, so what requests create stays small.
// With TOWNHALL_FUZZ_SHOW set, each answer's status and the start of its body go to stderr (for
// checking what a seed reaches: build-fuzz/fuzz/fuzz_http_request FILE...).
// Properties: every request is answered exactly once, within kAnswerSeconds, never with a 5xx; an
// error is application/problem+json (or an HTML page for page routes) whose status is the one in
// its body.
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "fuzz_support.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/access/token.h"

namespace {

using namespace townhall;
using namespace townhall::server;
using townhall::fuzz::fail;

constexpr int kRequestsPerStore = 2000;
constexpr auto kAnswerSeconds = std::chrono::seconds(20);

struct Answer {
  std::mutex mu;
  std::condition_variable cv;
  int calls = 0;
  HttpResponse response;
};

HttpResponse handle(Api& api, const HttpRequest& request, std::string_view input) {
  auto answer = std::make_shared<Answer>();
  api.handle(request, [answer](HttpResponse r) {
    std::lock_guard lock(answer->mu);
    if (++answer->calls == 1) answer->response = std::move(r);
    answer->cv.notify_all();
  });
  std::unique_lock lock(answer->mu);
  if (!answer->cv.wait_for(lock, kAnswerSeconds, [&] { return answer->calls > 0; })) {
    fail("a request was not answered", input);
  }
  return answer->response;
}

struct World {
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  std::map<std::string, std::string> tokens;  // "officer" → bearer token
  std::string session_cookie, csrf;            // a page session and its form token

  HttpResponse seed(const std::string& method, const std::string& target, const std::string& who,
                    const std::string& body) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    if (!who.empty()) r.authorization = "Bearer " + tokens[who];
    r.body = body;
    if (!body.empty()) r.content_type = "application/json";
    HttpResponse res = handle(*api, r, method + " " + target);
    if (res.status >= 300) {
      std::fprintf(stderr, "http_request: seeding %s %s: %d %s\n", method.c_str(), target.c_str(), res.status,
                   res.body.c_str());
      std::abort();
    }
    return res;
  }

  void build() {
    api.reset();
    store.reset();
    auto opened = open_sqlite_store(":memory:", SqliteOptions::creating());
    if (!opened) {
      std::fprintf(stderr, "http_request: %s\n", opened.error().describe().c_str());
      std::abort();
    }
    store = std::move(opened).value();
    tokens.clear();
    for (auto [name, role] : {std::pair{"member", Role::kPanelMember}, std::pair{"officer", Role::kOfficer},
                              std::pair{"governance", Role::kGovernance}, std::pair{"admin", Role::kAdmin}}) {
      std::string t = new_bearer_token();
      if (!store->add_user(role, name, hash_token(t))) std::abort();
      tokens[name] = t;
    }
    {
      // A second officer with a console account approves the seed's exceptions (no password is
      // hashed: nobody signs in as it here).
      NewStaffAccount n;
      n.role = Role::kOfficer;
      n.name = n.username = "approver";
      std::string t = new_bearer_token();
      if (!store->add_staff_account(n, "approver", "", "unusable", hash_token(t),
                                    AuditEvent{"fuzz", "user.add", "user", "", {}})) {
        std::abort();
      }
      tokens["approver"] = t;
    }
    ApiOptions o;
    o.body_limit = 64 * 1024;
    o.today = [] { return Date::from_ymd(2027, 3, 10); };
    o.now_seconds = [] { return int64_t{1804000000}; };
    api = std::make_unique<Api>(*store, o);

    const std::string questions =
        R"("questions":[{"id":"agree","type":"yes_no","text":"Do you agree?","required":true},
          {"id":"days","type":"multiple_choice","text":"Which days?","options":["mon","tue","sat"]},
          {"id":"why","type":"free_text","text":"Why?","max_length":200},
          {"id":"rating","type":"scale","text":"How good?","min":1,"max":5},
          {"id":"rank","type":"ranking","text":"Rank them","options":["x","y","z"]},
          {"id":"ward","type":"single_choice","text":"Your ward?","options":["Abingdon","Brompton"],"fact_key":"ward"}])";
    // c-1: open, promising Welsh (translated), with a meeting and a response.
    seed("POST", "/api/v1/consultations", "officer",
         R"({"title":"Library opening hours","summary":"We want to open later.","opens":"2027-03-01",
             "closes":"2027-04-11","proposal":"Open at 10am.","reasons":"Few people come before 10am.",
             "options_considered":[{"option":"Close on Sundays","rejected":true,"reason":"Too much."}],
             "channels":["online","paper","face_to_face"],"languages":["cy"],"wards":["Abingdon"],)" +
             questions + "}");
    seed("PUT", "/api/v1/consultations/c-1/translations/cy", "officer",
         R"({"title":"Oriau agor y llyfrgell","summary":"Rydym am agor yn hwyrach.","proposal":"Agor am 10yb.",
             "reasons":"Ychydig o bobl.","options_considered":[{"option":"Cau ar ddydd Sul","reason":"Gormod."}],
             "questions":{"agree":{"text":"Ydych chi'n cytuno?"}}})");
    // Each step with an exception the officer asks for and the approver approves.
    const std::string approver_id = nlohmann::json::parse(seed("GET", "/api/v1/me", "approver", "").body)["id"].dump();
    for (const char* to : {"scheduled", "open"}) {
      auto asked = seed("POST", "/api/v1/consultations/c-1/exception-requests", "officer",
                        std::string(R"({"to":")") + to + R"(","reason":"Fuzzing","approver":)" + approver_id + "}");
      const std::string request = nlohmann::json::parse(asked.body)["id"].dump();
      seed("POST", "/api/v1/exception-requests/" + request + "/decision", "approver", R"({"decision":"approve"})");
      seed("POST", "/api/v1/consultations/c-1/transitions", "officer",
           std::string(R"({"to":")") + to + R"(","exception":{"request_id":)" + request + "}}");
    }
    // One request left waiting, for the decision route.
    seed("POST", "/api/v1/consultations/c-1/exception-requests", "officer",
         R"({"to":"closed","reason":"Fuzzing","approver":)" + approver_id + "}");
    seed("POST", "/api/v1/consultations/c-1/meetings", "officer",
         R"({"kind":"public_meeting","title":"Drop-in session","date":"2027-03-20","starts_at":"18:30",
             "ends_at":"20:00","place":"Central Library","online_url":"https://example.org/live"})");
    seed("POST", "/api/v1/consultations/c-1/responses", "",
         R"({"answers":{"agree":true,"days":["mon"],"why":"Later please","rating":4}})");
    // c-2 and c-3: drafts.
    seed("POST", "/api/v1/consultations", "officer", R"({"title":"Parks","big_decision":true,)" + questions + "}");
    seed("POST", "/api/v1/consultations", "officer",
         R"({"title":"Bins","opens":"2027-01-04","closes":"2027-03-01","proposal":"p","reasons":"r"})");
    seed("PUT", "/api/v1/key-decisions/kd-1", "governance",
         R"({"id":"kd-1","matter":"Library hours","decision_maker":{"name":"Cllr A","title":"Cabinet Member"},
             "decision_date":"2027-05-20","value_pence":25000000,"value_kind":"spend",
             "wards_affected":["Abingdon","Brompton"],"significant_effects":true,"treated_as_key":true,
             "notice":{"published_on":"2027-03-01","states_key_decision":true,"matter":"Library hours"}})");
    seed("POST", "/api/v1/panel/join", "",
         R"({"name":"Asha Patel","email":"asha@example.org","consent":true,
             "facts":{"ward":"Abingdon","postcode":"W8 7NX","age_band":"35-44"}})");
    seed("POST", "/api/v1/panel/join", "",
         R"({"name":"Bryn Jones","email":"bryn@example.org","consent":false})");

    // A browser's session: the cookie the server sets on a form page, and the form's token.
    HttpResponse form = seed("GET", "/en-GB/consultations/c-1/questions/1", "", "");
    for (const auto& [name, value] : form.headers) {
      if (name == "Set-Cookie" && value.rfind("th_session=", 0) == 0) {
        session_cookie = value.substr(0, value.find(';'));
      }
    }
    const std::string marker = "name=\"csrf\" value=\"";
    if (size_t at = form.body.find(marker); at != std::string::npos) {
      size_t start = at + marker.size();
      csrf = form.body.substr(start, form.body.find('"', start) - start);
    }
    if (session_cookie.empty() || csrf.empty()) {
      std::fprintf(stderr, "http_request: no page session or CSRF token on the question page\n");
      std::abort();
    }
  }
};

World& world() {
  static World* w = [] {
    // The panel report reads the Census tables where the test suites find them.
    setenv("TOWNHALL_SHARED_DATA_DIR", TOWNHALL_SOURCE_DIR "/../shared/data", 0);
    auto* made = new World;
    made->build();
    return made;
  }();
  return *w;
}

std::string replace_all(std::string text, std::string_view what, const std::string& with) {
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
  return text;
}

std::string_view next_line(std::string_view& text) {
  size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int requests = 0;
  if (++requests % kRequestsPerStore == 0) world().build();
  World& w = world();

  std::string_view input = fuzz::as_text(data, size), rest = input;
  std::string_view request_line = next_line(rest);
  size_t space = request_line.find(' ');
  if (space == std::string_view::npos) return -1;
  HttpRequest req;
  req.method = std::string(request_line.substr(0, space));
  req.target = std::string(request_line.substr(space + 1));
  while (!rest.empty()) {
    std::string_view line = next_line(rest);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (name == "authorization") {
      auto it = w.tokens.find(std::string(value));
      req.authorization = it != w.tokens.end() ? "Bearer " + it->second : std::string(value);
    } else if (name == "cookie") {
      req.cookie = replace_all(std::string(value), "{{session}}", w.session_cookie);
    } else if (name == "accept-language") {
      req.accept_language = value;
    } else if (name == "content-type") {
      req.content_type = value;
    } else if (name == "idempotency-key") {
      req.idempotency_key = value;
    } else if (name == "if-match") {
      req.if_match = value;
    }
  }
  req.body = replace_all(std::string(rest), "{{csrf}}", w.csrf);
  if (fuzz::json_depth(req.body) > fuzz::kMaxJsonDepth) return -1;

  HttpResponse res = handle(*w.api, req, input);
  static const bool show = std::getenv("TOWNHALL_FUZZ_SHOW") != nullptr;
  if (show) {
    std::fprintf(stderr, "%s %s -> %d %s\n%.300s\n", req.method.c_str(), req.target.c_str(), res.status,
                 res.content_type.c_str(), res.body.c_str());
  }
  if (res.status >= 500) {
    // Left to the hostile-input suite, not reported again here: a number beyond double's range in
    // a body ("number overflow") and invalid UTF-8 reaching JSON output from the path or query
    // (type_error.316).
    if (res.body.find("number overflow") != std::string::npos ||
        res.body.find("type_error.316") != std::string::npos) {
      return -1;
    }
    fail("a 5xx answer", std::string(input) + "\n==> " + std::to_string(res.status) + " " + res.body);
  }
  if (res.status < 100 || res.status > 599) fail("an answer with no valid status", input);
  if (res.status >= 400 && res.content_type == "application/problem+json") {
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("type") || !j.contains("detail") ||
        j.value("status", 0) != res.status) {
      fail("a problem+json answer that is not one", std::string(input) + "\n==> " + res.body);
    }
  }
  return 0;
}
