// townhall/server/api.h — the REST API of Townhall (/api/v1), independent of the HTTP transport.
//
// Api::handle() takes one request and answers it through a callback: immediately for most routes,
// and after the group commit for response submissions (acknowledged only once committed). Every
// route declares the roles allowed to call it (routes() lists them; the OpenAPI document at
// /api/v1/openapi.json must describe each one). The pipeline for every request: the path, query
// parameters and the headers the API reads must be UTF-8 without control characters once
// %-decoded (400), then match the route (404/405), authenticate the bearer token (401) and check
// the role (403), then for routes with a body: size (413), Content-Type (415), UTF-8 (400), JSON
// (400 for syntax, nesting past kMaxJsonDepth, a BOM or a NUL byte; 422 naming the field for a
// number out of range or a control character in text; see util/json_parse.h) and the route's JSON
// Schema (422, naming the field as a JSON pointer) before the core sees it. Errors are
// application/problem+json (RFC 9457) with members type, title, status, detail and `pointer`; a
// full disk is 503 with Retry-After. Every answer carries X-Content-Type-Options: nosniff, and JSON
// answers Cache-Control: no-store unless they are public documents served to an anonymous caller
// (no-cache).
// Thread-safety: handle() may be called from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/charter/policy.h"
#include "townhall/mail/delivery.h"
#include "townhall/server/http.h"
#include "townhall/access/role.h"
#include "townhall/store/store.h"
#include "townhall/util/rate_limit.h"

namespace townhall::server {

struct ApiOptions {
  size_t body_limit = 1 << 20;  // bytes; larger bodies get 413
  size_t max_batch = 1024;      // group-commit batch limit
  CharterPolicy policy = CharterPolicy::defaults();
  // Today's local date for the charter checks and the schedule; default Europe/London's today.
  std::function<Date()> today;
  // Web pages: the directory of GOV.UK Frontend's precompiled assets (govuk-frontend.min.css,
  // assets/fonts, ...); empty = the build tree's web/node_modules copy.
  std::string web_assets_dir;
  // Web pages: the public address put in front of links in emails ("https://haveyoursay.example.gov.uk");
  // empty = links are paths only. An https:// address also marks every cookie Secure.
  std::string public_url;
  // Web pages: the council's configuration (schemas/council-config.schema.json, already validated):
  // its name, accessibility statement and privacy notice. Empty = the catalogs' generic text.
  nlohmann::json council;
  // Peers whose X-Forwarded-Proto and X-Forwarded-For headers are believed: the addresses of the
  // reverse proxies in front of the server ("127.0.0.1"). Behind one, "X-Forwarded-Proto: https"
  // marks cookies Secure and the last X-Forwarded-For address is the client's for the rate
  // limits. From any other peer both headers are ignored.
  std::vector<std::string> trusted_proxies;
  // Limits on what costs someone else's inbox or the panel's integrity: joining the panel (per
  // client address) and every email the server sends — sign-in, save-and-resume and email
  // confirmation links — per email address and per client address. Beyond them: 429 Too Many
  // Requests with Retry-After (problem+json on the API, a page on the web pages). A limit of 0
  // turns that limit off. IPv6 clients count by their /64 network (one household's addresses).
  struct RateLimits {
    RateLimit join_per_client{10, 3600};
    RateLimit email_per_address{5, 3600};
    RateLimit email_per_client{30, 3600};
    size_t max_keys = 50000;  // per limit; beyond it the longest-unused key is forgotten
  } rate_limits;
  // Days the outbox keeps an email once it is delivered or failed for good; the schedule removes
  // older ones (they hold a person's address and often a link).
  int outbox_retention_days = kDefaultOutboxRetentionDays;
  // Web pages: the clock for panel members' sign-in links and sessions (Unix seconds); default the
  // system clock. Tests set it to check expiry.
  std::function<int64_t()> now_seconds;
};

struct RouteInfo {
  std::string method;    // "GET"
  std::string pattern;   // "/api/v1/consultations/{id}"
  std::set<Role> roles;  // who may call it
  std::string body_schema;  // schema file the body is validated against, empty when no body
};

class Api {
 public:
  Api(Store& store, ApiOptions options = {});
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  void handle(const HttpRequest& request, Respond respond);

  size_t body_limit() const;

  // The route table (for documentation and tests).
  std::vector<RouteInfo> routes() const;

  // Runs the lifecycle schedule as of `today` (Europe/London): scheduled consultations whose
  // opening date has come are opened, open ones past their closing date are closed — each through
  // the same charter checks as a manual transition, as actor "system (schedule)". Returns one line
  // per consultation acted on ("c-3 open", or why it could not move).
  std::vector<std::string> run_schedule(Date today);

  // Verifies the audit log (townhall/audit/audit.h) and remembers its state, which GET /health
  // reports as "audit": "ok", "broken" or "unverified" (and nothing more: the details are for
  // governance staff, at GET /api/v1/audit/verify). Runs once when the Api is made; the server
  // runs it again from time to time. Reads the whole log.
  Result<AuditVerification> check_audit();

  // Group-commit counters: transactions committed and submissions written so far, and how many
  // submissions took the plain-body path (read without a JSON tree; see responses/submission_body.h).
  struct CommitStats {
    uint64_t batches = 0, submissions = 0, plain_bodies = 0;
  };
  CommitStats commit_stats() const;

  // Stops taking response submissions and commits everything queued. Idempotent.
  void shutdown();
  // Where the completions of committed response submissions run (see ResponseCommitter): the
  // HTTP server passes its I/O threads while it runs, so the single writer thread only writes;
  // empty (the default) = on the writer thread.
  void set_completion_executor(std::function<void(std::function<void()>)> executor);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// An application/problem+json response. `pointer` names the offending field ("" for none).
HttpResponse problem(int status, const std::string& type, const std::string& title,
                     const std::string& detail, const std::string& pointer = "");

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF);
// otherwise `bad_offset` is the byte offset of the first bad sequence.
bool is_valid_utf8(std::string_view text, size_t* bad_offset = nullptr);

}  // namespace townhall::server
